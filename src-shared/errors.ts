/** @public The list the type below is made from. */
export const errorCodes = [
  'invalid-input',
  'invalid-yaml',
  'not-found',
  'cycle',
  'script-error',
  'script-timeout',
  'script-memory',
  'template-error',
  'conflict',
  'transport',
  'newer-database',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Where a problem is: a file (or a named script such as `processing`), a line and a column, 1-based. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

/** An error meant for an operator: a code to branch on and a message a human reads. */
export class FlowdeckError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: ErrorLocation) {
    super(message);
    this.name = 'FlowdeckError';
    this.code = code;
    this.location = location;
  }
}

export function formatLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return '';
  const parts = [loc.file, loc.line, loc.line !== undefined ? loc.column : undefined].filter((p) => p !== undefined);
  return parts.join(':');
}

/** `file:line:column: message` on one line, the form editors and terminals link. */
export function formatError(err: unknown): string {
  if (err instanceof FlowdeckError) {
    const where = formatLocation(err.location);
    return (where ? `${where}: ` : '') + err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  location?: ErrorLocation;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof FlowdeckError) {
    return err.location ? { code: err.code, message: err.message, location: err.location } : { code: err.code, message: err.message };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
