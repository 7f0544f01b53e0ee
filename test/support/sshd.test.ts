// Proves the sshd fleet harness: real logins with the OpenSSH client and with ssh2,
// connection counting per address, remote process tracking, and clean shutdown.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, remoteProcessesMatching, startFleet, type Fleet, type FleetOptions } from './sshd';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the OpenSSH client against one fleet host, trusting only the fleet's known_hosts. */
function sshArgs(fleet: Fleet, address: string, command: string, key = fleet.keys.ed25519): string[] {
  return [
    '-F', '/dev/null',
    '-i', key,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${fleet.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-p', String(fleet.hosts[0]?.port),
    `${fleet.user}@${address}`,
    command,
  ];
}

function collect(child: ChildProcess): Promise<Ran> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function ssh(fleet: Fleet, address: string, command: string, key?: string): Promise<Ran> {
  return collect(spawn('ssh', sshArgs(fleet, address, command, key), { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** One command over ssh2; the host key must be the fleet's. */
function ssh2Exec(fleet: Fleet, config: ConnectConfig, command: string): Promise<Ran> {
  const trusted = fleet.hostKeys.map((k) => Buffer.from(k.publicKeyLine.split(' ')[1] ?? '', 'base64'));
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => {
          client.end();
          resolve({ code, stdout, stderr });
        });
      });
    });
    client.connect({
      port: fleet.hosts[0]?.port,
      username: fleet.user,
      hostVerifier: (key: Buffer) => trusted.some((t) => t.equals(key)),
      readyTimeout: 10_000,
      ...config,
    });
  });
}

/**
 * `sleep N.xxxxxx`: a remote command line no other run shares. remoteProcessesMatching sees
 * every fleet's processes on the machine, and another worker may run this same file.
 */
function uniqueSleep(seconds: number): string {
  return `sleep ${seconds}.${randomInt(100_000, 1_000_000)}`;
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('a 20-host sshd fleet', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 20 });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('serves 127.0.0.2 to 127.0.0.21 on one port from two sshd listeners', () => {
    expect(fleet.hosts.map((h) => h.address)).toEqual(Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 2}`));
    expect(new Set(fleet.hosts.map((h) => h.port)).size).toBe(1);
    expect(fleet.listeners.map((l) => l.addresses.length)).toEqual([16, 4]);
    expect(fleet.listeners.every((l) => processAlive(l.pid))).toBe(true);
    expect(fleet.user).toBe('flowdeck-test');
    expect(fleet.password).toBeUndefined();
    expect(fleet.hostKeys).toHaveLength(1);
    // The fingerprint is the one ssh-keygen (and OpenSSH's prompts) print.
    const printed = execFileSync('ssh-keygen', ['-lf', fleet.knownHostsPath]).toString().trim().split('\n');
    expect(printed).toHaveLength(20);
    expect(printed.every((line) => line.split(' ')[1] === fleet.hostKeys[0]?.sha256)).toBe(true);
    const port = fleet.hosts[0]?.port;
    expect(fleet.knownHostsLines()).toHaveLength(20);
    expect(fleet.knownHostsLines()[1]).toBe(`[127.0.0.3]:${port} ${fleet.hostKeys[0]?.publicKeyLine}`);
    expect(readFileSync(fleet.knownHostsPath, 'utf8').trim().split('\n')).toEqual(fleet.knownHostsLines());
  });

  it('logs the ssh client in as flowdeck-test on a host of each listener, host key checked', async () => {
    const [first, second] = await Promise.all([
      ssh(fleet, '127.0.0.3', 'echo hi; id -un'),
      ssh(fleet, '127.0.0.20', 'echo hi; id -un'),
    ]);
    expect(first).toMatchObject({ code: 0, stdout: 'hi\nflowdeck-test\n' });
    expect(second).toMatchObject({ code: 0, stdout: 'hi\nflowdeck-test\n' });
  });

  it('counts accepted connections per listen address', () => {
    expect(fleet.acceptedConnections('127.0.0.3')).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.20')).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.4')).toBe(0);
    expect(fleet.acceptedConnections()).toBe(2);
    expect(fleet.logText()).toMatch(/Accepted publickey for flowdeck-test from 127\.0\.0\.1 port \d+ ssh2/);
  });

  it('accepts the PEM RSA key with the ssh client', async () => {
    const ran = await ssh(fleet, '127.0.0.4', 'echo pem', fleet.keys.pem);
    expect(ran).toMatchObject({ code: 0, stdout: 'pem\n' });
    expect(fleet.acceptedConnections('127.0.0.4')).toBe(1);
  });

  it('accepts the plain and the passphrase ed25519 keys with ssh2, verifying the host key', async () => {
    const plain = await ssh2Exec(fleet, { host: '127.0.0.5', privateKey: readFileSync(fleet.keys.ed25519) }, 'id -un');
    expect(plain).toMatchObject({ code: 0, stdout: 'flowdeck-test\n' });
    const withPassphrase = await ssh2Exec(
      fleet,
      {
        host: '127.0.0.18',
        privateKey: readFileSync(fleet.keys.passphrase.path),
        passphrase: fleet.keys.passphrase.passphrase,
      },
      'echo ok',
    );
    expect(withPassphrase).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(fleet.acceptedConnections('127.0.0.5')).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.18')).toBe(1);
  });

  it('refuses a wrong host key and password logins', async () => {
    await expect(
      ssh2Exec(fleet, { host: '127.0.0.6', privateKey: readFileSync(fleet.keys.ed25519), hostVerifier: () => false }, 'true'),
    ).rejects.toThrow();
    await expect(ssh2Exec(fleet, { host: '127.0.0.6', password: 'guess', tryKeyboard: false }, 'true')).rejects.toThrow(
      /authentication methods failed/,
    );
    expect(fleet.acceptedConnections('127.0.0.6')).toBe(0);
  });

  it('finds a remote background process, and not once it is killed', async () => {
    const sleep4242 = uniqueSleep(4242);
    const started = await ssh(fleet, '127.0.0.7', `${sleep4242} </dev/null >/dev/null 2>&1 &`);
    expect(started.code).toBe(0);
    const [pid, ...others] = remoteProcessesMatching(sleep4242);
    expect(pid).toBeDefined();
    expect(others).toEqual([]);
    process.kill(pid ?? -1, 'SIGKILL');
    await eventually(() => remoteProcessesMatching(sleep4242).length === 0);
  });

  it('kills the sessions on one address, as if the host died, while the listener stays up', async () => {
    const sleep4343 = uniqueSleep(4343);
    const sleep4344 = uniqueSleep(4344);
    const running = collect(spawn('ssh', sshArgs(fleet, '127.0.0.8', sleep4343), { stdio: ['ignore', 'pipe', 'pipe'] }));
    const elsewhere = collect(spawn('ssh', sshArgs(fleet, '127.0.0.9', sleep4344), { stdio: ['ignore', 'pipe', 'pipe'] }));
    // sshd runs each as `sh -c 'sleep ...'`; only the sleep itself counts.
    await eventually(() => remoteProcessesMatching(sleep4343).length === 1 && remoteProcessesMatching(sleep4344).length === 1);

    fleet.killSessionProcesses('127.0.0.8');
    expect(remoteProcessesMatching(sleep4343)).toEqual([]);
    expect((await running).code).toBe(255);
    expect(remoteProcessesMatching(sleep4344)).toHaveLength(1);

    const again = await ssh(fleet, '127.0.0.8', 'echo back');
    expect(again).toMatchObject({ code: 0, stdout: 'back\n' });

    fleet.killSessionProcesses();
    expect((await elsewhere).code).toBe(255);
    expect(remoteProcessesMatching(sleep4344)).toEqual([]);
  });

  it('stops one listener: its addresses refuse connections, its live sessions stay until killed', async () => {
    const sleep4747 = uniqueSleep(4747);
    const port = fleet.hosts[0]?.port ?? 0;
    const session = collect(spawn('ssh', sshArgs(fleet, '127.0.0.19', sleep4747), { stdio: ['ignore', 'pipe', 'pipe'] }));
    await eventually(() => remoteProcessesMatching(sleep4747).length === 1);

    fleet.stopListener(1);
    expect(processAlive(fleet.listeners[1]?.pid ?? -1)).toBe(false);
    expect(processAlive(fleet.listeners[0]?.pid ?? -1)).toBe(true);
    expect(await tcpConnects('127.0.0.18', port)).toBe(false);
    expect(await tcpConnects('127.0.0.2', port)).toBe(true);
    expect(remoteProcessesMatching(sleep4747)).toHaveLength(1);

    fleet.killSessionProcesses('127.0.0.19');
    expect((await session).code).toBe(255);
    expect(remoteProcessesMatching(sleep4747)).toEqual([]);
  });

  it('stop() kills every listener, session and remote command it started', async () => {
    const sleep4545 = uniqueSleep(4545);
    const sleep4646 = uniqueSleep(4646);
    const session = collect(spawn('ssh', sshArgs(fleet, '127.0.0.10', sleep4545), { stdio: ['ignore', 'pipe', 'pipe'] }));
    await ssh(fleet, '127.0.0.11', `${sleep4646} </dev/null >/dev/null 2>&1 &`);
    await eventually(() => remoteProcessesMatching(sleep4545).length === 1);
    const pids = [...fleet.processIds(), ...remoteProcessesMatching(sleep4646)];
    expect(pids.length).toBeGreaterThan(3);

    await fleet.stop();
    expect(pids.filter(processAlive)).toEqual([]);
    expect(remoteProcessesMatching(sleep4545)).toEqual([]);
    expect(remoteProcessesMatching(sleep4646)).toEqual([]);
    expect((await session).code).toBe(255);
    expect(await tcpConnects('127.0.0.2', fleet.hosts[0]?.port ?? 0)).toBe(false);
  });
});

describe('a fleet that fails to start', () => {
  it('rejects with sshd\'s complaint and leaves no process or folder behind', async () => {
    const bogus = 'BOGUS' as FleetOptions['logLevel'];
    const err = await startFleet({ hosts: 20, logLevel: bogus }).then(
      () => new Error('started'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/unsupported log level 'BOGUS'/);
    const dir = /(\/\S+\/flowdeck-sshd-[^/\s]+)\//.exec(err.message)?.[1] ?? '';
    expect(dir).not.toBe('');
    expect(existsSync(dir)).toBe(false);
    const left = readdirSync('/proc').filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });
});

describe('a password sshd fleet', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2, password: true });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('accepts the password over ssh2 and refuses a wrong one', async () => {
    expect(fleet.password).toMatch(/^\S{16,}$/);
    const ran = await ssh2Exec(fleet, { host: '127.0.0.3', password: fleet.password, tryKeyboard: false }, 'id -un');
    expect(ran).toMatchObject({ code: 0, stdout: 'flowdeck-test\n' });
    await expect(ssh2Exec(fleet, { host: '127.0.0.3', password: 'wrong', tryKeyboard: false }, 'true')).rejects.toThrow(
      /authentication methods failed/,
    );
    expect(fleet.acceptedConnections('127.0.0.3')).toBe(1);
    expect(fleet.logText()).toMatch(/Accepted password for flowdeck-test/);
  });

  it('still accepts keys', async () => {
    const ran = await ssh(fleet, '127.0.0.2', 'echo key');
    expect(ran).toMatchObject({ code: 0, stdout: 'key\n' });
  });
});
