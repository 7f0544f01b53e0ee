// A fleet of real OpenSSH servers on loopback addresses, for suites that need SSH hosts.
//
//   const fleet = await startFleet({ hosts: 20 });   // 127.0.0.2 ... 127.0.0.21, one port
//   ...                                              // log in as fleet.user with fleet.keys.*
//   await fleet.stop();                              // in afterAll
//
// Facts about sshd that shaped this file (OpenSSH 9.2 on Debian 12):
// - One sshd listens on at most 16 addresses (MAX_LISTEN_SOCKS), so a fleet runs one sshd
//   ("listener") per 16 hosts, all on the same port, all presenting one shared host key.
// - sshd must run as root to log in as another user, and it refuses an account whose
//   password field starts with "!" (useradd's default) when UsePAM is off: the test user
//   gets "*" (no password, not locked) unless a password fleet sets a real one.
// - With -E the per-connection children append to the same log, without pids. At VERBOSE
//   each connection starts with "Connection from C port X on A port P", which is the only
//   line naming the listen address A; "Accepted publickey for U from C port X" comes later
//   from the same child. Attribution therefore joins the two on the client port X.
// - A per-connection child re-execs sshd and chdirs to "/", so every path given to sshd
//   (config, -E log, keys) must be absolute.
// - The listener ignores its session children when it exits (that is how sshd restarts
//   without dropping logins), so stopping a fleet kills the sessions explicitly.
// - Killed sessions' children move to pid 1, which here reaps them only seconds later:
//   every "is it gone" check treats a zombie as gone (it holds no socket, runs nothing).
// - sshd -E ends its log lines with "\r\n"; logText() returns them with "\n".
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../src-main/engine/ownership';

const TEST_USER = 'flowdeck-test';
const KEY_PASSPHRASE = 'secret-pass';

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = 'ssh-keygen';
const SETPRIV = '/usr/bin/setpriv';
const PRIVSEP_DIR = '/run/sshd';
/** Root-only file holding the test user's password, shared by every fleet on the machine. */
const PASSWORD_FILE = '/var/lib/flowdeck-test/password';
const MAX_LISTEN_ADDRESSES = 16;
const MAX_HOSTS = 250;
/** Ports below Linux's ephemeral range (32768+), so client connections never hold them. */
const PORT_RANGE: [number, number] = [20_000, 32_000];
const PORT_ATTEMPTS = 8;
const READY_TIMEOUT_MS = 15_000;

export interface FleetHost {
  address: string;
  port: number;
}

export interface FleetHostKey {
  /** e.g. "ssh-ed25519" */
  type: string;
  /** "ssh-ed25519 AAAA..." (no comment) */
  publicKeyLine: string;
  /** "SHA256:..." as ssh-keygen -l and OpenSSH's prompts print it */
  sha256: string;
}

interface FleetListener {
  pid: number;
  addresses: string[];
}

export interface Fleet {
  /** 127.0.0.2, 127.0.0.3, ... in order, all on the same port. */
  hosts: FleetHost[];
  /** Listener i serves hosts[16 * i] to hosts[16 * i + 15]. */
  listeners: FleetListener[];
  user: string;
  /** Private key paths (root-owned, mode 0600), all authorized for `user`. */
  keys: { ed25519: string; passphrase: { path: string; passphrase: string }; pem: string };
  /** Set only for `password: true` fleets. */
  password?: string;
  /** The host keys the fleet presents. Every listener shares one ed25519 key: one entry. */
  hostKeys: FleetHostKey[];
  /** A known_hosts file holding `knownHostsLines()`, for `ssh -o UserKnownHostsFile=`. */
  knownHostsPath: string;
  knownHostsLines(): string[];
  /** Every listener's log, concatenated. */
  logText(): string;
  /** Successful logins (publickey or password), on one listen address or on all. */
  acceptedConnections(address?: string): number;
  /**
   * Simulates hosts dying: SIGKILLs the sshd processes serving connections to `address`
   * (to every host without one) and the remote commands started through them, background
   * ones included; returns once they are dead. The listeners stay up and accept new logins.
   */
  killSessionProcesses(address?: string): void;
  /** SIGKILLs listener `index` (all of them without an index); returns once its port is closed. Sessions stay. */
  stopListener(index?: number): void;
  /** Live pids of the fleet: listeners, sessions (also those that outlived a stopped listener), remote commands. */
  processIds(): number[];
  /** Kills every listener, session and remote command of this fleet and removes its temp folder. */
  stop(): Promise<void>;
}

export interface FleetOptions {
  hosts: number;
  password?: boolean;
  logLevel?: 'VERBOSE' | 'DEBUG1';
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_HOSTS) {
    throw new Error(`startFleet: hosts must be an integer from 1 to ${MAX_HOSTS}, got ${opts.hosts}`);
  }
  requireRoot();
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} is missing: run \`bash scripts/install-system-deps.sh\` as root`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'flowdeck-sshd-'));
  const listeners: RunningListener[] = [];
  try {
    // The test user reads authorized_keys through this folder; private keys stay 0600.
    chmodSync(dir, 0o755);
    mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    const [, password, keys, hostKey, version] = await Promise.all([
      ensureTestUser(),
      opts.password ? ensureTestPassword() : Promise.resolve(undefined),
      generateClientKeys(dir),
      generateHostKey(dir),
      sshdVersion(),
    ]);
    const addresses = Array.from({ length: opts.hosts }, (_, i) => `127.0.0.${i + 2}`);
    const groups = chunk(addresses, MAX_LISTEN_ADDRESSES);
    const port = await startListeners(listeners, groups, (index, port) =>
      sshdConfig({
        dir,
        index,
        port,
        addresses: groups[index] ?? [],
        password: Boolean(opts.password),
        logLevel: opts.logLevel ?? 'VERBOSE',
        version,
      }),
    );
    const fleet = new SshdFleet({ dir, port, addresses, listeners, keys, hostKey, password });
    writeFileSync(fleet.knownHostsPath, fleet.knownHostsLines().join('\n') + '\n');
    return fleet;
  } catch (err) {
    // Whatever started before the failure goes away again.
    killTreesAndWait(livePids(listeners));
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Pids of live processes owned by the test user whose command line contains `pattern`,
 * on every fleet of the machine (use a pattern no other test uses). The `sh -c COMMAND`
 * that sshd starts for each exec request is left out: its command line repeats the command,
 * so `sleep 4242` run on two hosts counts 2, not 4.
 */
export function remoteProcessesMatching(pattern: string): number[] {
  const uid = testUserUid();
  if (uid === undefined) return [];
  const table = readProcessTable();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  return table
    .filter((p) => p.uid === uid && p.state !== 'Z' && p.cmdline.includes(pattern))
    .filter((p) => !isSshdCommandShell(p, byPid.get(p.ppid)))
    .map((p) => p.pid);
}

/** The user's shell that an sshd session process started as `sh -c COMMAND`. */
function isSshdCommandShell(p: ProcessInfo, parent: ProcessInfo | undefined): boolean {
  return (parent?.cmdline.startsWith('sshd: ') ?? false) && /^-?\S*sh -c /.test(p.cmdline);
}

/** True while `pid` exists and is not a zombie: the product's own check, used for crash recovery. */
export { processAlive } from '../../src-main/engine/ownership';

// ---------------------------------------------------------------------------------------
// The fleet object

interface ClientKeys {
  ed25519: string;
  passphrase: string;
  pem: string;
}

interface RunningListener {
  child: ChildProcess;
  addresses: string[];
  configPath: string;
  logPath: string;
  stderr: string;
}

class SshdFleet implements Fleet {
  readonly hosts: FleetHost[];
  readonly listeners: FleetListener[];
  readonly user = TEST_USER;
  readonly keys: Fleet['keys'];
  readonly password?: string;
  readonly hostKeys: FleetHostKey[];
  readonly knownHostsPath: string;
  private readonly dir: string;
  private readonly port: number;
  private readonly running: RunningListener[];
  private stopped = false;

  constructor(init: {
    dir: string;
    port: number;
    addresses: string[];
    listeners: RunningListener[];
    keys: ClientKeys;
    hostKey: FleetHostKey;
    password: string | undefined;
  }) {
    this.dir = init.dir;
    this.port = init.port;
    this.running = init.listeners;
    this.hosts = init.addresses.map((address) => ({ address, port: init.port }));
    this.listeners = init.listeners.map((l) => ({ pid: l.child.pid ?? -1, addresses: l.addresses }));
    this.keys = {
      ed25519: init.keys.ed25519,
      passphrase: { path: init.keys.passphrase, passphrase: KEY_PASSPHRASE },
      pem: init.keys.pem,
    };
    if (init.password !== undefined) this.password = init.password;
    this.hostKeys = [init.hostKey];
    this.knownHostsPath = join(init.dir, 'known_hosts');
  }

  knownHostsLines(): string[] {
    return this.hosts.flatMap((h) => this.hostKeys.map((k) => `[${h.address}]:${h.port} ${k.publicKeyLine}`));
  }

  logText(): string {
    return this.running.map((l) => readTextIfExists(l.logPath).replaceAll('\r\n', '\n')).join('');
  }

  acceptedConnections(address?: string): number {
    const logins = this.running.flatMap((l) => parseLogins(readTextIfExists(l.logPath)));
    return logins.filter((l) => address === undefined || l.listenAddress === address).length;
  }

  killSessionProcesses(address?: string): void {
    const table = readProcessTable();
    killTreesAndWait([...this.sessions(table, address), ...this.remoteCommands(table, address)], table);
  }

  stopListener(index?: number): void {
    const chosen = index === undefined ? this.running : [this.running[index]];
    for (const listener of chosen) {
      if (!listener) throw new Error(`stopListener: no listener ${index} (the fleet has ${this.running.length})`);
    }
    const pids = livePids(chosen.filter((l) => l !== undefined));
    for (const pid of pids) signal(pid, 'SIGKILL');
    // A zombie has closed its sockets: once every chosen pid is one, new connections are refused.
    waitUntilGone(pids);
  }

  processIds(): number[] {
    const table = readProcessTable();
    const roots = [...livePids(this.running), ...this.sessions(table), ...this.remoteCommands(table)];
    return descendantsAndSelf(roots, table).filter(processAlive);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const table = readProcessTable();
    killTreesAndWait([...livePids(this.running), ...this.sessions(table), ...this.remoteCommands(table)], table);
    await Promise.all(this.running.map((l) => exited(l.child)));
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * The per-connection sshd processes: whoever holds a connected TCP socket whose local
   * end is one of our addresses on our port. Unlike "children of the listener" this also
   * finds sessions that outlived their listener (stopListener), which moved to pid 1.
   */
  private sessions(table: ProcessInfo[], address?: string): number[] {
    const addresses = address === undefined ? this.hosts.map((h) => h.address) : [address];
    const inodes = connectedTcpInodes(new Set(addresses.map((a) => `${a}:${this.port}`)));
    if (inodes.size === 0) return [];
    return table.filter((p) => socketInodes(p.pid).some((inode) => inodes.has(inode))).map((p) => p.pid);
  }

  /**
   * Live processes of the test user started through this fleet, found by the
   * SSH_CONNECTION ("client-ip client-port server-ip server-port") sshd put in their
   * environment: that reaches commands that left their session (`cmd &`), which a dying
   * host would take down too.
   */
  private remoteCommands(table: ProcessInfo[], address?: string): number[] {
    const uid = testUserUid();
    const addresses = new Set(address === undefined ? this.hosts.map((h) => h.address) : [address]);
    return table
      .filter((p) => p.uid === uid && p.state !== 'Z')
      .filter((p) => {
        const [, , serverIp, serverPort] = (readEnv(p.pid).get('SSH_CONNECTION') ?? '').split(' ');
        return serverIp !== undefined && addresses.has(serverIp) && serverPort === String(this.port);
      })
      .map((p) => p.pid);
  }
}

/**
 * Pids of listeners not yet reaped. A reaped pid may already belong to someone else
 * (pid_max is 32768 here), so it is never signalled again.
 */
function livePids(listeners: RunningListener[]): number[] {
  return listeners
    .filter((l) => l.child.exitCode === null && l.child.signalCode === null)
    .map((l) => l.child.pid)
    .filter(isNumber);
}

// ---------------------------------------------------------------------------------------
// Starting the listeners

/**
 * Starts one sshd per address group on one port for all, trying fresh random ports
 * while some address has it taken. Started listeners are pushed onto `started` so the
 * caller can clean up on failure. Resolves to the port.
 */
async function startListeners(
  started: RunningListener[],
  groups: string[][],
  configFor: (index: number, port: number) => { configPath: string; logPath: string },
): Promise<number> {
  const all = groups.flat();
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = randomInt(PORT_RANGE[0], PORT_RANGE[1]);
    if (!(await portFreeEverywhere(all, port))) continue;
    const attemptStart = started.length;
    const results = await Promise.allSettled(
      groups.map(async (addresses, index) => {
        const { configPath, logPath } = configFor(index, port);
        rmSync(logPath, { force: true });
        const listener = spawnSshd(configPath, logPath, addresses);
        started.push(listener);
        await waitUntilListening(listener, port);
      }),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 0) {
      await Promise.all(all.map((address) => waitForBanner(address, port)));
      return port;
    }
    // Someone took the port between our probe and sshd's bind: drop this attempt, try another.
    const attemptListeners = started.splice(attemptStart);
    killTreesAndWait(livePids(attemptListeners));
    if (!failures.every((f) => f instanceof PortTakenError)) throw failures[0];
  }
  throw new Error(`startFleet: found no free port for ${all.length} hosts after ${PORT_ATTEMPTS} tries`);
}

class PortTakenError extends Error {}

/**
 * `sshd -D` keeps the listener in the foreground, so the child is what we kill.
 * setpriv --pdeathsig makes the kernel kill it if this test process dies without stop().
 */
function spawnSshd(configPath: string, logPath: string, addresses: string[]): RunningListener {
  const sshdArgs = [SSHD, '-D', '-f', configPath, '-E', logPath];
  const [command = SSHD, ...args] = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', ...sshdArgs] : sshdArgs;
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const listener: RunningListener = { child, addresses, configPath, logPath, stderr: '' };
  // sshd writes to stderr only before -E takes over, e.g. about a bad config line.
  child.stderr?.on('data', (d: Buffer) => (listener.stderr += d.toString()));
  // An unhandled 'error' event would crash the test process; a failed spawn shows as an exit.
  child.on('error', () => undefined);
  return listener;
}

/** Resolves once sshd logged "Server listening" for every address; rejects if it exits or a bind fails. */
async function waitUntilListening(listener: RunningListener, port: number): Promise<void> {
  const { child, configPath, logPath } = listener;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const log = readTextIfExists(logPath);
    if (/Bind to port \d+ on \S+ failed: Address already in use/.test(log)) {
      throw new PortTakenError(`port ${port} is taken`);
    }
    if (listener.addresses.every((a) => log.includes(`Server listening on ${a} port ${port}.`))) return;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      throw new Error(`sshd -f ${configPath} exited before listening:\n${listener.stderr}${log}`);
    }
    await delay(20);
  }
  throw new Error(`sshd -f ${configPath} did not listen within ${READY_TIMEOUT_MS} ms:\n${readTextIfExists(logPath)}`);
}

/** Binds the port on every address for a moment: all must be free for one fleet port. */
async function portFreeEverywhere(addresses: string[], port: number): Promise<boolean> {
  const results = await Promise.all(
    addresses.map(
      (host) =>
        new Promise<boolean>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(false));
          server.listen(port, host, () => server.close(() => resolve(true)));
        }),
    ),
  );
  return results.every(Boolean);
}

/** Connects and reads the server's identification line, as every SSH client does first. */
async function waitForBanner(host: string, port: number): Promise<void> {
  const banner = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host, port });
    let text = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no SSH banner from ${host}:${port} within 5 s`)));
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\n')) {
        socket.end('SSH-2.0-flowdeck-fleet-probe\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
  if (!banner.startsWith('SSH-2.0-')) throw new Error(`${host}:${port} answered ${JSON.stringify(banner)}, not an SSH banner`);
}

// ---------------------------------------------------------------------------------------
// Configuration and keys

function sshdConfig(o: {
  dir: string;
  index: number;
  port: number;
  addresses: string[];
  password: boolean;
  logLevel: string;
  version: number[];
}): { configPath: string; logPath: string } {
  const configPath = join(o.dir, `sshd-${o.index}.conf`);
  const logPath = join(o.dir, `sshd-${o.index}.log`);
  const lines = [
    '# Written by test/support/sshd.ts for one test fleet.',
    `Port ${o.port}`,
    ...o.addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${join(o.dir, 'host_ed25519')}`,
    `PidFile ${join(o.dir, `sshd-${o.index}.pid`)}`,
    // The keys live in the temp folder, which the test user does not own: hence StrictModes no.
    `AuthorizedKeysFile ${join(o.dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin no',
    `AllowUsers ${TEST_USER}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${o.password ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    // The bench fans out to 50 hosts at once; steps may open many channels per connection.
    'MaxSessions 64',
    'MaxStartups 200:30:400',
    // VERBOSE logs "Connection from ... on ADDR" and every accepted login.
    `LogLevel ${o.logLevel}`,
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
  ];
  // OpenSSH 9.8+ would refuse 127.0.0.1 for a while after tests kill sessions or fail logins.
  if (versionAtLeast(o.version, [9, 8])) lines.push('PerSourcePenalties no');
  writeFileSync(configPath, lines.join('\n') + '\n');
  return { configPath, logPath };
}

async function generateHostKey(dir: string): Promise<FleetHostKey> {
  const path = join(dir, 'host_ed25519');
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'flowdeck-fleet-host', '-f', path]);
  const [type = '', base64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
  const digest = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64');
  return { type, publicKeyLine: `${type} ${base64}`, sha256: `SHA256:${digest.replace(/=+$/, '')}` };
}

/** Three client keys, all authorized for the test user through the fleet's authorized_keys. */
async function generateClientKeys(dir: string): Promise<ClientKeys> {
  const keys: ClientKeys = {
    ed25519: join(dir, 'id_ed25519'),
    passphrase: join(dir, 'id_ed25519_passphrase'),
    pem: join(dir, 'id_rsa_pem'),
  };
  await Promise.all([
    run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'flowdeck-fleet', '-f', keys.ed25519]),
    run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', KEY_PASSPHRASE, '-C', 'flowdeck-fleet-passphrase', '-f', keys.passphrase]),
    run(SSH_KEYGEN, ['-q', '-m', 'PEM', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'flowdeck-fleet-pem', '-f', keys.pem]),
  ]);
  const authorized = Object.values(keys).map((k) => readFileSync(`${k}.pub`, 'utf8').trim());
  writeFileSync(join(dir, 'authorized_keys'), authorized.join('\n') + '\n', { mode: 0o644 });
  return keys;
}

/** [major, minor] from `sshd -V` ("OpenSSH_9.2p1 ..." on stderr). */
async function sshdVersion(): Promise<number[]> {
  const { stderr } = await run(SSHD, ['-V'], { allowFailure: true });
  const match = /OpenSSH_(\d+)\.(\d+)/.exec(stderr);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function versionAtLeast(version: number[], wanted: [number, number]): boolean {
  const [major = 0, minor = 0] = version;
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
}

// ---------------------------------------------------------------------------------------
// The test user

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the sshd fleet needs root: sshd must switch to the user ${TEST_USER} on login. ` +
        `Run the tests as root (the user is created with: useradd -m -s /bin/sh -p '*' ${TEST_USER}).`,
    );
  }
}

/**
 * Creates the login user if missing and keeps it usable: /bin/sh as shell (cheap to start,
 * unlike root's), and a password field that sshd does not read as "locked".
 * Other test workers may do the same at once, hence the tolerance for "already exists".
 */
async function ensureTestUser(): Promise<void> {
  let entry = passwdEntry(TEST_USER);
  if (!entry) {
    await runRetryingLocks('useradd', ['-m', '-s', '/bin/sh', '-p', '*', TEST_USER], { allowFailure: true });
    entry = passwdEntry(TEST_USER);
    if (!entry) throw new Error(`could not create the user ${TEST_USER} (useradd -m -s /bin/sh ${TEST_USER})`);
  }
  if (entry.shell !== '/bin/sh') await runRetryingLocks('usermod', ['-s', '/bin/sh', TEST_USER]);
  if ((shadowPassword(TEST_USER) ?? '').startsWith('!')) await runRetryingLocks('usermod', ['-p', '*', TEST_USER]);
}

/**
 * The test user's password: random, made once per machine and kept in a root-only file,
 * so fleets in parallel test workers never overwrite each other's password.
 */
async function ensureTestPassword(): Promise<string> {
  mkdirSync(join(PASSWORD_FILE, '..'), { recursive: true, mode: 0o700 });
  if (!existsSync(PASSWORD_FILE)) {
    // link() publishes the complete file atomically and fails if another worker won.
    const draft = `${PASSWORD_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
    try {
      linkSync(draft, PASSWORD_FILE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(draft);
    }
  }
  const password = readFileSync(PASSWORD_FILE, 'utf8').trim();
  await runRetryingLocks('chpasswd', [], { input: `${TEST_USER}:${password}\n` });
  return password;
}

function passwdEntry(user: string): { uid: number; shell: string } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) return undefined;
  const fields = line.split(':');
  return { uid: Number(fields[2]), shell: fields[6] ?? '' };
}

function shadowPassword(user: string): string | undefined {
  const line = readTextIfExists('/etc/shadow')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  return line?.split(':')[1];
}

function testUserUid(): number | undefined {
  return passwdEntry(TEST_USER)?.uid;
}

// ---------------------------------------------------------------------------------------
// Processes, through /proc

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** R, S, D, Z... from /proc/PID/stat */
  state: string;
  /** real uid */
  uid: number;
  /** argv joined with spaces */
  cmdline: string;
}

function readProcessTable(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined);
}

/** undefined when the process is gone (it may exit while we read it). */
function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself hold spaces and parentheses.
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return { pid, ppid: Number(ppid), state, uid: Number(uidLine?.[1] ?? -1), cmdline };
  } catch {
    return undefined;
  }
}

function readEnv(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of readTextIfExists(`/proc/${pid}/environ`).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

function descendantsAndSelf(roots: number[], table: ProcessInfo[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set<number>();
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (found.has(pid)) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...found];
}

/**
 * SIGKILLs the roots and all their descendants, found before the first kill (a killed
 * parent's children move to pid 1), then waits until none is alive.
 */
function killTreesAndWait(roots: number[], table: ProcessInfo[] = readProcessTable()): void {
  const pids = descendantsAndSelf(roots, table);
  for (const pid of pids) signal(pid, 'SIGKILL');
  waitUntilGone(pids);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** SIGKILL takes effect within milliseconds; blocking briefly keeps the callers synchronous. */
function waitUntilGone(pids: number[], timeoutMs = 5_000): void {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(processAlive)) {
    if (Date.now() > deadline) throw new Error(`processes still alive after SIGKILL: ${pids.filter(processAlive).join(', ')}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

/** Inodes of the sockets a process holds open ("socket:[12345]" links under /proc/PID/fd). */
function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      return match?.[1] ? [match[1]] : [];
    } catch {
      return [];
    }
  });
}

/** Inodes of the IPv4 TCP sockets, other than listening ones, whose local end is one of `locals` ("ip:port"). */
function connectedTcpInodes(locals: Set<string>): Set<string> {
  const TCP_LISTEN = '0A';
  const inodes = new Set<string>();
  for (const line of readTextIfExists('/proc/net/tcp').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [hexIp, hexPort] = (fields[1] ?? '').split(':');
    const state = fields[3];
    const inode = fields[9];
    if (!hexIp || !hexPort || !inode || state === TCP_LISTEN) continue;
    // /proc/net/tcp prints the IPv4 address as a little-endian 32-bit number.
    const ip = [3, 2, 1, 0].map((i) => parseInt(hexIp.slice(i * 2, i * 2 + 2), 16)).join('.');
    if (locals.has(`${ip}:${parseInt(hexPort, 16)}`)) inodes.add(inode);
  }
  return inodes;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

// ---------------------------------------------------------------------------------------
// The log

interface Login {
  method: 'publickey' | 'password';
  /** undefined if the matching "Connection from" line is missing (a LogLevel below VERBOSE) */
  listenAddress: string | undefined;
}

/**
 * Successful logins with the listen address each came in on. The "Accepted" line only
 * names the client, so it is joined with the latest "Connection from" line of the same
 * client ip and port; a client port names one open connection at a time, in practice.
 */
function parseLogins(log: string): Login[] {
  const listenAddressOf = new Map<string, string>();
  const logins: Login[] = [];
  for (const line of log.split('\n')) {
    const connection = /^Connection from (\S+) port (\d+) on (\S+) port \d+/.exec(line);
    if (connection) listenAddressOf.set(`${connection[1]}:${connection[2]}`, connection[3] ?? '');
    const accepted = /^Accepted (publickey|password) for \S+ from (\S+) port (\d+)/.exec(line);
    if (accepted) {
      logins.push({
        method: accepted[1] === 'password' ? 'password' : 'publickey',
        listenAddress: listenAddressOf.get(`${accepted[2]}:${accepted[3]}`),
      });
    }
  }
  return logins;
}

// ---------------------------------------------------------------------------------------
// Small helpers

interface RunOptions {
  input?: string;
  /** Resolve with the output instead of rejecting on a non-zero exit. */
  allowFailure?: boolean;
}

function run(command: string, args: string[], opts: RunOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || opts.allowFailure) resolve({ code, stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
    // A command that exits without reading its input breaks the pipe: its exit code tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input);
  });
}

/** useradd, usermod and chpasswd fail at once while another one holds /etc/passwd's lock. */
async function runRetryingLocks(command: string, args: string[], opts: RunOptions = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await run(command, args, { ...opts, allowFailure: true });
    if (result.code === 0) return;
    if (!/lock/i.test(result.stderr) || attempt >= 50) {
      if (opts.allowFailure) return;
      throw new Error(`${command} ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`);
    }
    await delay(50 + randomInt(50));
  }
}

function readTextIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function isNumber(value: number | undefined): value is number {
  return typeof value === 'number';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
