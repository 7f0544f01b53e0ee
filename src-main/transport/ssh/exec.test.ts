// What sshExec sends over the wire, seen from an ssh2 server on loopback: no environment
// requests (Flowdeck's own variables never travel), the step's env inside the command, and a
// channel whose input carries a script's body and then stays open (no EOF) until the command
// has ended, which is what the remote lifeline relies on.
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Client as ClientType, ServerChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshExec } from './exec';

const { Client, Server, utils } = ssh2;

interface Seen {
  envRequests: string[];
  command: string;
  input: string;
  /** Whether the client sent EOF on the channel before the server ended it. */
  eofBeforeExit: boolean;
}

describe('sshExec on the wire', () => {
  const seen: Seen[] = [];
  let server: InstanceType<typeof Server>;
  let client: ClientType;

  beforeAll(async () => {
    server = new Server({ hostKeys: [utils.generateKeyPairSync('ed25519').private] }, (conn) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => ctx.accept());
      conn.on('ready', () => {
        conn.on('session', (accept) => {
          const session = accept();
          const record: Seen = { envRequests: [], command: '', input: '', eofBeforeExit: false };
          session.on('env', (acceptEnv, _reject, info) => {
            record.envRequests.push(info.key);
            acceptEnv?.();
          });
          session.on('exec', (acceptExec, _reject, info) => {
            record.command = info.command;
            seen.push(record);
            const ch: ServerChannel = acceptExec();
            let exited = false;
            ch.on('data', (d: Buffer) => (record.input += d.toString('utf8')));
            ch.on('end', () => {
              if (!exited) record.eofBeforeExit = true;
            });
            // Answer once the input has had time to arrive: the body, then the test ends the command.
            setTimeout(() => {
              exited = true;
              ch.exit(0);
              ch.close();
            }, 150);
          });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve).once('error', reject);
      client.connect({ host: '127.0.0.1', port, username: 'ops', password: 'x', hostVerifier: () => true });
    });
  });

  afterAll(async () => {
    client?.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const exec = (req: { command: string; stdin?: string; env: Record<string, string> }): Promise<unknown> =>
    sshExec(client, 'test', { ...req, signal: new AbortController().signal, onOutput: () => undefined }, () => undefined);

  it('sends no env request even with Flowdeck secrets in its own environment; the step env is in the command', async () => {
    process.env.FLOWDECK_SECRET_KEY_PROBE = 'do-not-send';
    try {
      await exec({ command: 'env', env: { GIVEN: "it's" } });
    } finally {
      delete process.env.FLOWDECK_SECRET_KEY_PROBE;
    }
    const s = seen.at(-1) as Seen;
    expect(s.envRequests).toEqual([]);
    expect(s.command).toContain(`export GIVEN='it'\\''s'`);
    expect(s.command).not.toContain('do-not-send');
    expect(s.input).toBe('');
    expect(s.eofBeforeExit).toBe(false);
  });

  it("a script's body goes on the input with its end token, and the input stays open until the command ends", async () => {
    await exec({ command: '/bin/sh', stdin: 'echo one\necho two\n', env: {} });
    const s = seen.at(-1) as Seen;
    const token = /\*(FLOWDECK_END_[0-9a-f]{16})\./.exec(s.command)?.[1];
    expect(token).toBeDefined();
    expect(s.input).toBe(`echo one\necho two\n${token}`);
    expect(s.command).toContain(`head -c ${Buffer.byteLength(s.input)}`);
    expect(s.eofBeforeExit).toBe(false);
  });
});
