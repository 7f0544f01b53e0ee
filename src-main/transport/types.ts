import type { ResolvedElement } from '../../src-shared/domain/inventory';

export type OutputStream = 'stdout' | 'stderr';

export interface ExecRequest {
  /** A shell command line, run by the element's shell. */
  command: string;
  /** Fed to the command's standard input, then closed (a `script` step's body). */
  stdin?: string;
  env: Record<string, string>;
  /** Aborting kills the command (the whole process group, or the remote process) and settles the exec. */
  signal: AbortSignal;
  onOutput(stream: OutputStream, data: Buffer): void;
}

export interface ExecResult {
  /** null when the command died of a signal or the peer closed without an exit status. */
  exitCode: number | null;
  signal: string | null;
}

/** One open session to one element; every step of that element in one execution reuses it. */
export interface Connection {
  exec(req: ExecRequest): Promise<ExecResult>;
  close(): Promise<void>;
  /** False once the connection broke; the pool then opens a new one for the next step. */
  alive?(): boolean;
}

export interface ConnectOptions {
  signal: AbortSignal;
  /** The execution's resolved inventory, so a jump host named by element id needs no fresh read. */
  elements?: ReadonlyMap<string, ResolvedElement>;
  /** False for a run nobody watches (a schedule): an unknown host key fails it rather than waiting for an answer. */
  interactive?: boolean;
}

export interface Transport {
  readonly kind: string;
  connect(element: ResolvedElement, opts: ConnectOptions): Promise<Connection>;
}

/** A transport failure that is not the command's own (unreachable host, authentication, host key). */
export class TransportError extends Error {
  readonly cause_: 'unreachable' | 'timeout' | 'auth' | 'host-key' | 'protocol' | 'unavailable';
  constructor(cause: TransportError['cause_'], message: string) {
    super(message);
    this.name = 'TransportError';
    this.cause_ = cause;
  }
}
