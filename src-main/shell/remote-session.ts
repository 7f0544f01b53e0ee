import type { Client, ClientChannel, ClientCallback } from 'ssh2';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { openSshClients, type SshTransportOptions } from '../transport/ssh/open-client';
import { TransportError } from '../transport/types';
import type { TerminalSize } from './shell-process';

export interface RemoteSessionRequest {
  /** A pseudo-terminal of this type and size, or none (commands read from a pipe, as `ssh host < script`). */
  pty: (TerminalSize & { term: string }) | null;
  /** A command to run instead of the login shell. */
  command?: string;
  /** Aborts the connection while it is being made (the window that asked went away). */
  signal: AbortSignal;
  /** False where nobody can answer a host key question: an unknown key then fails the connection. */
  interactive: boolean;
}

/** One session channel on its own connection: the operator's shell or command on an element. */
export interface RemoteSession {
  channel: ClientChannel;
  /** Closes the channel and the connection with its tunnels; sshd then hangs up the shell's terminal. */
  close(): void;
  /** Why the connection went away, once it did. */
  lost(): string | undefined;
}

const label = (e: ResolvedElement): string => `${e.id} (${e.host}:${e.port})`;

/**
 * Opens a shell (or a command) on an SSH element with the same connection a run makes: the
 * element's user, credential, jump hosts and host-key rules. Each session has a connection of
 * its own, so closing it can never disturb a run's warm connection or another session.
 */
export async function openRemoteSession(opts: SshTransportOptions, element: ResolvedElement, req: RemoteSessionRequest): Promise<RemoteSession> {
  const clients = await openSshClients(opts, element, { signal: req.signal, interactive: req.interactive });
  const client = clients[clients.length - 1] as Client;
  let lost: string | undefined;
  let closed = false;
  client.on('error', (err: Error) => (lost ??= `connection lost: ${err.message}`));
  client.on('close', () => (lost ??= closed ? 'the session was closed' : 'connection lost (the host or its sshd went away)'));
  const closeAll = (): void => {
    closed = true;
    for (const c of [...clients].reverse()) c.end();
  };
  try {
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      const done: ClientCallback = (err, ch) => {
        if (err) reject(new TransportError('protocol', `${label(element)}: cannot start ${req.command !== undefined ? 'the command' : 'a shell'}: ${lost ?? err.message}`));
        else resolve(ch);
      };
      const pty = req.pty ? { term: req.pty.term, cols: req.pty.cols, rows: req.pty.rows, width: 0, height: 0 } : null;
      if (req.command !== undefined) client.exec(req.command, pty ? { pty } : {}, done);
      else client.shell(pty ?? false, done);
    });
    return { channel, close: closeAll, lost: () => lost };
  } catch (e) {
    closeAll();
    throw e;
  }
}
