// The bare ssh2 baseline of the SSH benches: a client doing the same work as Flowdeck with
// nothing of Flowdeck around it. It imports only ssh2, Node and the command wrapper, so the
// bench can also bundle it into a process of its own (bench/bare-fanout.ts) that loads what a
// bare script loads and no more.
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import { wrapRemoteCommand } from '../src-main/transport/ssh/remote-command';
import type { FleetHost, FleetHostKey } from '../test/support/sshd';

/** Cheap commands: the fan-out benches measure connections, channels and bookkeeping, not work. */
export const FANOUT_COMMANDS = ['true', 'echo hi', 'uname -a'] as const;

/**
 * What the bare client needs of a fleet. A started fleet is one; so is its JSON, which is how
 * a separate bare process is told where the hosts are.
 */
export interface BareFleet {
  hosts: FleetHost[];
  user: string;
  keys: { ed25519: string };
  hostKeys: Array<Pick<FleetHostKey, 'publicKeyLine'>>;
}

/** The fleet's host key blobs: the bare client checks the key too, as the product does. */
function fleetHostKeys(fleet: BareFleet): Buffer[] {
  return fleet.hostKeys.map((k) => Buffer.from(k.publicKeyLine.split(' ')[1] ?? '', 'base64'));
}

/**
 * One ssh2 connection the way the product opens it, minus the product: our own TCP socket with
 * Nagle off, the key, the host key checked against the fleet's.
 */
export function bareConnect(fleet: BareFleet, host: FleetHost): Promise<Client> {
  const privateKey = readFileSync(fleet.keys.ed25519);
  const trusted = fleetHostKeys(fleet);
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: host.address, port: host.port });
    sock.setNoDelay(true);
    sock.once('error', reject);
    const client = new Client();
    const config: ConnectConfig = {
      sock,
      username: fleet.user,
      privateKey,
      readyTimeout: 20_000,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => trusted.some((k) => k.equals(key)),
    };
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect(config);
  });
}

/** Ends the connections; resolves once every one has closed (or after 2 s: one that broke may never say so). */
export function bareClose(clients: Client[]): Promise<void> {
  const closing = clients.map(
    (c) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        c.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        c.end();
      }),
  );
  return Promise.all(closing).then(() => undefined);
}

/**
 * Runs `command` on an open connection; stdout and stderr are counted and discarded. Rejects on
 * a non-zero exit. The channel's input is closed at once, as `ssh host cmd </dev/null` does,
 * unless `keepInputOpen`: the product's wrapped command keeps it open until the command ends
 * (its lifeline reads it; closed early, the lifeline would fall back to polling the session).
 */
export function bareExec(client: Client, command: string, opts: { keepInputOpen?: boolean } = {}): Promise<{ bytes: number }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let bytes = 0;
      let code: number | null = null;
      ch.on('data', (d: Buffer) => (bytes += d.length));
      ch.stderr.on('data', (d: Buffer) => (bytes += d.length));
      ch.on('exit', (c: number | null) => (code = c));
      ch.on('close', () => (code === 0 ? resolve({ bytes }) : reject(new Error(`bare ssh2: "${command}" exited with ${String(code)}`))));
      if (!opts.keepInputOpen) ch.end();
    });
  });
}

/**
 * The fan-out's work: every connection at once, then each command across all hosts (waiting for
 * all); the connections are left open for the caller to end. `wrap` sends each command wrapped
 * as the product wraps it (pgid marker, lifeline), its input held open as the product holds it.
 */
export async function bareFanout(fleet: BareFleet, hosts: number, wrap = false): Promise<Client[]> {
  const commands = FANOUT_COMMANDS.map((c) => (wrap ? wrapRemoteCommand(c, {}) : c));
  const clients: Client[] = await Promise.all(fleet.hosts.slice(0, hosts).map((h) => bareConnect(fleet, h)));
  for (const command of commands) await Promise.all(clients.map((c) => bareExec(c, command, { keepInputOpen: wrap })));
  return clients;
}

/** One timed fan-out in this process; ending is not waited for, as the engine does not wait either (the close is, outside the timing). */
export async function bareRound(fleet: BareFleet, hosts: number, wrap = false): Promise<number> {
  const t0 = performance.now();
  const clients = await bareFanout(fleet, hosts, wrap);
  const closed = bareClose(clients);
  const ms = performance.now() - t0;
  await closed;
  return ms;
}
