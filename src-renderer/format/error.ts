import { formatLocation, type SerializedError } from '../../src-shared/errors';
import type { ProblemAt } from '../../src-shared/ipc/contract';

/** `file:line:col: message`, the one-line form operators and editors read. */
export function errorText(error: SerializedError): string {
  const where = formatLocation(error.location);
  return where ? `${where}: ${error.message}` : error.message;
}

/** `line:col: message` for a problem found in a document. */
export function problemText(problem: ProblemAt): string {
  if (problem.line === undefined) return problem.message;
  return `${problem.line}:${problem.column ?? 1}: ${problem.message}`;
}
