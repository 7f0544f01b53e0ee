// A scripted SSH server on 127.0.0.1, for faults a real sshd never produces on demand
// (a channel closed without an exit status, a protocol-level misbehaviour).
//
//   const server = await startFakeSshServer({ onExec: (channel) => { channel.write('hi\n'); channel.close(); } });
//   ... trust server.hostKeyLine for 127.0.0.1:server.port, connect with any key ...
//   await server.stop();
//
// It accepts any public key for any user (it checks nothing: it only exists to misbehave
// after the login) and refuses every other method. ssh2 is CommonJS: only its default
// export is reliable under Node's ESM loader.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';

const { Server, utils } = ssh2;

export interface FakeSshServer {
  host: '127.0.0.1';
  port: number;
  /** "ssh-ed25519 AAAA..." as `known-hosts add --key` takes it. */
  hostKeyLine: string;
  /** "SHA256:..." of the host key. */
  fingerprint: string;
  /** The commands exec'd so far, in order (Flowdeck's wrapper included). */
  execs: string[];
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

export interface FakeSshServerOptions {
  /** What the server does with an exec request; the channel is already accepted. */
  onExec(channel: ServerChannel, command: string): void;
}

export async function startFakeSshServer(opts: FakeSshServerOptions): Promise<FakeSshServer> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const [, base64 = ''] = hostKey.public.trim().split(/\s+/);
  const fingerprint = 'SHA256:' + createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64').replace(/=+$/, '');
  const execs: string[] = [];
  const clients = new Set<Connection>();

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // A client that goes away mid-handshake is normal here; an unhandled 'error' would crash the test worker.
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey') ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => {
          execs.push(info.command);
          opts.onExec(acceptExec(), info.command);
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    hostKeyLine: `ssh-ed25519 ${base64}`,
    fingerprint,
    execs,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
