import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import type { Connection, Transport } from '../types';
import { TransportError } from '../types';
import { sshExec } from './exec';
import { openSshClients, type SshTransportOptions } from './open-client';

export type { HostKeyAsker, HostKeyQuestion } from './host-verify';
export type { SshTransportOptions } from './open-client';

/** The SSH transport: one connection per element per execution (the engine's pool), through jump hosts if any. */
export function sshTransport(options: SshTransportOptions): Transport {
  // Where the known hosts and the agent are is decided once, when the transport is made.
  const opts: SshTransportOptions = {
    ...options,
    knownHostsFile: options.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'),
    agentSocket: options.agentSocket ?? process.env.SSH_AUTH_SOCK,
  };
  return {
    kind: 'ssh',
    async connect(element, connectOpts): Promise<Connection> {
      const clients: Client[] = await openSshClients(opts, element, connectOpts);
      const client = clients[clients.length - 1] as Client;
      const label = `${element.id} (${element.host}:${element.port})`;
      let lost: string | undefined;
      client.on('error', (err: Error) => (lost ??= `connection lost: ${err.message}`));
      client.on('close', () => (lost ??= 'connection lost (the host or its sshd went away during the step)'));
      return {
        exec: (req) => {
          if (lost) return Promise.reject(new TransportError('unreachable', `${label}: ${lost}`));
          return sshExec(client, label, req, () => lost);
        },
        close: async () => {
          for (const c of clients.reverse()) c.end();
        },
        alive: () => lost === undefined,
      };
    },
  };
}
