import { FlowdeckError } from '../../../src-shared/errors';
import type { ProblemAt } from '../../../src-shared/ipc/contract';

/**
 * An operator's mistake in the text being edited, as the editor shows it; anything that is not
 * a FlowdeckError is a bug and is thrown on, for the dispatcher to report as `internal`.
 */
export function problemAt(e: unknown, at?: { line?: number; column?: number }): ProblemAt {
  if (!(e instanceof FlowdeckError)) throw e;
  const line = at ? at.line : e.location?.line;
  const column = at ? at.column : e.location?.column;
  return {
    message: e.message,
    ...(line !== undefined ? { line } : {}),
    ...(line !== undefined && column !== undefined ? { column } : {}),
  };
}
