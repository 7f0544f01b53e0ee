import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { SshTransportOptions } from '../transport/ssh/open-client';
import { openRemoteSession } from './remote-session';
import { TERMINAL_TYPE, type ShellExit, type ShellProcess, type TerminalSize } from './shell-process';

/** The element's login shell on a remote pseudo-terminal (ssh2 `shell` with a pty). */
export async function openSshShell(opts: SshTransportOptions, element: ResolvedElement, size: TerminalSize, signal: AbortSignal): Promise<ShellProcess> {
  const session = await openRemoteSession(opts, element, { pty: { term: TERMINAL_TYPE, ...size }, signal, interactive: true });
  const { channel } = session;
  const dataListeners: Array<(d: Buffer) => void> = [];
  let exitListener: ((exit: ShellExit) => void) | undefined;
  let ended: ShellExit | undefined;

  const deliver = (d: Buffer): void => {
    for (const l of dataListeners) l(d);
  };
  channel.on('data', deliver);
  // With a pty the remote side writes everything to the terminal; a server may still use the
  // extended stream (an sshd message before the shell starts), which belongs on screen too.
  channel.stderr.on('data', deliver);
  // ssh2 hands the exit status (or signal) to 'close', after the last output has been read.
  channel.on('close', (code?: number | null, signalName?: string) => {
    const lost = session.lost();
    ended =
      typeof code === 'number' || signalName
        ? { code: typeof code === 'number' ? code : null, signal: signalName ?? null }
        : { code: null, signal: null, ...(lost ? { message: lost } : {}) };
    session.close();
    exitListener?.(ended);
  });

  return {
    onData: (l) => dataListeners.push(l),
    onExit: (l) => {
      exitListener = l;
      if (ended) l(ended);
    },
    write: (data) => {
      if (!ended) channel.write(data);
    },
    resize: ({ cols, rows }) => {
      if (!ended) channel.setWindow(rows, cols, 0, 0);
    },
    pause: () => channel.pause(),
    resume: () => channel.resume(),
    close: () => {
      if (ended) return;
      try {
        // Honoured by servers that implement the "signal" request; closing the connection ends it anyway.
        channel.signal('HUP');
      } catch {
        // the channel is already gone
      }
      channel.close();
      session.close();
    },
  };
}
