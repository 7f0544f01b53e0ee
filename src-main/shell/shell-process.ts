/** How a shell ended: its exit status, the signal that killed it, or why it was lost. */
export interface ShellExit {
  /** null when it died of a signal or the connection went away before it reported one. */
  code: number | null;
  signal: string | null;
  /** Set when the shell did not end by itself: the connection was lost, the process could not be waited for. */
  message?: string;
}

/** A terminal's size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What every terminal type the console sets on a shell it opens. */
export const TERMINAL_TYPE = 'xterm-256color';

/**
 * One interactive shell on a terminal, wherever it runs (a remote pty over SSH, a local pty):
 * the console's sessions drive them all the same way.
 */
export interface ShellProcess {
  /** Output as it comes; a pty merges stdout and stderr into one stream. */
  onData(listener: (data: Buffer | string) => void): void;
  /** Called once, when the shell is gone (exited, killed, or its connection lost). */
  onExit(listener: (exit: ShellExit) => void): void;
  write(data: string): void;
  resize(size: TerminalSize): void;
  /** Stops reading its output until resume(): the shell blocks once the pipe and the SSH window fill up. */
  pause(): void;
  resume(): void;
  /** Ends it: the remote channel and its connection, or the local process group. onExit follows. */
  close(): void;
}
