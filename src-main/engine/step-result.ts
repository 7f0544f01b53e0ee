import type { JsonValue } from '../../src-shared/domain/inventory';
import type { StepRunStatus } from '../../src-shared/domain/execution';

/** How much of a step's stdout and stderr `steps.<id>` keeps in memory (the log keeps everything). */
export const CAPTURE_LIMIT = 1 << 20;

/** One element's results in one flow invocation, what `steps.<id>` shows to expressions. */
export interface StepResult {
  status: StepRunStatus;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  json: JsonValue | null;
}
