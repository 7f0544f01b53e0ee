// A private redis-server for a suite: a free port on 127.0.0.1, a password, no persistence,
// its own temp folder, stopped by its pid. The system's redis service is never used.
//
//   const redis = await startRedis();        // redis.url = redis://:PASSWORD@127.0.0.1:PORT
//   ...
//   await redis.stop();                      // in afterAll
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../src-main/engine/ownership';

const REDIS_SERVER = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 10_000;

export interface TestRedis {
  host: string;
  port: number;
  password: string;
  pid: number;
  /** redis://:PASSWORD@127.0.0.1:PORT (rediss:// for a TLS server; no `:PASSWORD@` for one without a password) */
  url: string;
  /** For a TLS server: the PEM file of the certificate authority that signed its certificate. */
  caFile?: string;
  /** The same server without the password in the URL (it still requires one). */
  urlWithoutPassword: string;
  /** SIGKILLs the server (Redis "down"); `start` brings it back on the same port and password. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** '' starts a server that asks for none (what a runner must refuse). */
  password?: string;
  /** TLS only (no plain port), with a certificate for 127.0.0.1 from a CA made for the suite. */
  tls?: boolean;
}

export async function startRedis(opts: RedisOptions = {}): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run \`bash scripts/install-system-deps.sh\` as root`);
  const dir = await mkdtemp(join(tmpdir(), 'flowdeck-redis-'));
  const password = opts.password ?? randomBytes(12).toString('hex');
  const tls = opts.tls ? makeCertificates(dir) : undefined;
  let port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async (): Promise<void> => {
    output = '';
    const args = [
      '--bind', '127.0.0.1',
      ...(tls
        ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no']
        : ['--port', String(port)]),
      ...(password ? ['--requirepass', password] : []),
      '--save', '',
      '--appendonly', 'no',
      '--dir', dir,
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--logfile', '',
    ];
    const c = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
    c.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
    child = c;
    const until = Date.now() + READY_TIMEOUT_MS;
    while (!output.includes('Ready to accept connections')) {
      if (c.exitCode !== null) throw new Error(`redis-server exited (${c.exitCode}):\n${output}`);
      if (Date.now() > until) throw new Error(`redis-server did not start within ${READY_TIMEOUT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c?.pid) return;
    const pid = c.pid;
    const exited = new Promise((r) => c.once('exit', r));
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    await exited;
    // The port is free again once nothing listens on it.
    while (await listening(port)) await new Promise((r) => setTimeout(r, 25));
  };

  try {
    await launch();
  } catch (e) {
    // Someone took the port between the probe and the start: one more try on another.
    await kill();
    port = await freePort();
    await launch().catch(async (again: unknown) => {
      await kill();
      await rm(dir, { recursive: true, force: true });
      throw again;
    });
    void e;
  }

  return {
    host: '127.0.0.1',
    port,
    password,
    get pid() {
      return child?.pid ?? 0;
    },
    url: `${tls ? 'rediss' : 'redis'}://${password ? `:${password}@` : ''}127.0.0.1:${port}`,
    urlWithoutPassword: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    ...(tls ? { caFile: tls.ca } : {}),
    kill,
    start: launch,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A CA and a server certificate for 127.0.0.1 signed by it (EC keys: quick to make). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string): string => join(dir, name);
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=flowdeck test CA');
  ossl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ossl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('ext.cnf'));
  return { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
