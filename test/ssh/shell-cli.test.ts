// `flowdeck shell ELEMENT [-- COMMAND...]` as a process against real sshd hosts: piped commands run
// in the remote shell with no pty, a command's exit status comes back as the CLI's, jump hosts
// and host-key rules are a run's, a local element gets this machine's shell, and on a terminal
// (a pseudo-terminal the test holds through node-pty) the shell is interactive: raw keys, the
// window's size, resized with it, and an unknown host key asked as `run` asks.
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, repoRoot, waitFor, Workspace, type CliResult } from '../support/cli';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';

const bin = join(repoRoot, 'bin', 'flowdeck.js');

describe('flowdeck shell on real SSH hosts and on this machine', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  let emptyKnownHosts: string;
  const terminals: IPty[] = [];

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3 });
    emptyKnownHosts = ws.file('empty_known_hosts', '');
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' };
    const [h1, h2, h3] = fleet.hosts;
    ws.file(
      'inventory.yaml',
      `
profiles:
  - { id: box, user: ${fleet.user}, credential: fleet-key, port: ${h1?.port} }
elements:
  - { id: e1, name: E1, host: ${h1?.address}, profile: box }
  - { id: e2, name: E2, host: ${h2?.address}, profile: box }
  - { id: e3, name: E3, host: ${h3?.address}, profile: box, jump: e1 }
  - { id: e4, name: E4, host: ${h3?.address}, profile: box }
  - { id: here, name: here, host: localhost, transport: local }
`,
    );
    const cred = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(cred.code, cred.stderr).toBe(0);
    const inv = await ws.run(['inventory', 'import', ws.path('inventory.yaml')]);
    expect(inv.code, inv.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    for (const t of terminals) t.kill('SIGKILL');
    await fleet?.stop();
    ws.dispose();
  });

  /** The CLI with `input` on its stdin (a pipe, closed after it). */
  const withInput = (args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: ws.dir,
      env: { ...process.env, FLOWDECK_DB: ws.db, NO_COLOR: '1', ...ws.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(input);
    return collect(child);
  };

  /** The CLI on a pseudo-terminal of its own, as an operator's terminal window runs it. */
  const onTerminal = (args: string[], env: NodeJS.ProcessEnv = {}): { term: IPty; screen: () => string; exit: Promise<number> } => {
    let screen = '';
    const term = spawnPty(process.execPath, [bin, ...args], {
      name: 'xterm-256color',
      cols: 100,
      rows: 30,
      cwd: ws.dir,
      env: { ...process.env, FLOWDECK_DB: ws.db, NO_COLOR: '1', ...ws.env, ...env } as Record<string, string>,
    });
    terminals.push(term);
    term.onData((d) => (screen += d));
    const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    return { term, screen: () => screen, exit };
  };

  it('runs the commands piped to it in the remote shell, with no pty, and passes the shell\'s exit status on', async () => {
    const r = await withInput(['shell', 'e1'], 'hostname\necho "conn $SSH_CONNECTION"\ntty || true\necho to-stderr >&2\nexit 3\n');
    expect(r.stderr).toBe('to-stderr\n');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(hostname());
    expect(lines[1]).toMatch(new RegExp(`^conn \\S+ \\d+ 127\\.0\\.0\\.2 ${fleet.hosts[0]?.port}$`));
    expect(lines[2]).toBe('not a tty');
    expect(r.code).toBe(3);

    const plain = await withInput(['shell', 'e2'], 'hostname\n');
    expect(plain).toEqual({ code: 0, stdout: `${hostname()}\n`, stderr: '' });
  });

  it('runs the command after --: several words keep their quoting, one is a command line; its exit status is the CLI\'s', async () => {
    expect(await ws.run(['shell', 'e1', '--', 'sh', '-c', 'exit 7'])).toEqual({ code: 7, stdout: '', stderr: '' });
    expect(await ws.run(['shell', 'e1', '--', 'printf', '%s|', 'two words', "it's"])).toEqual({ code: 0, stdout: "two words|it's|", stderr: '' });
    const line = await ws.run(['shell', 'e1', '--', 'echo out; echo err >&2; exit 5']);
    expect(line).toEqual({ code: 5, stdout: 'out\n', stderr: 'err\n' });
    // stdin reaches the command too.
    expect(await withInput(['shell', 'e2', '--', 'tr a-z A-Z'], 'shout\n')).toEqual({ code: 0, stdout: 'SHOUT\n', stderr: '' });
  });

  it('goes through the element\'s jump host, as a run does', async () => {
    const before = fleet.acceptedConnections('127.0.0.2');
    const r = await ws.run(['shell', 'e3', '--', 'echo $SSH_CONNECTION']);
    expect(r.code, r.stderr).toBe(0);
    // sshd on 127.0.0.4 sees the connection come from the jump host's side, not from the test.
    expect(r.stdout).toMatch(new RegExp(` 127\\.0\\.0\\.4 ${fleet.hosts[2]?.port}\\n$`));
    expect(fleet.acceptedConnections('127.0.0.2')).toBe(before + 1);
  });

  it('an unknown element is one line naming it; an unknown host key with nobody to ask fails with its fingerprint', async () => {
    const missing = await ws.run(['shell', 'nope', '--', 'true']);
    expect(missing).toEqual({ code: 255, stdout: '', stderr: 'flowdeck: unknown element "nope"\n' });

    const refused = await withInput(['shell', 'e2'], 'hostname\n', { FLOWDECK_KNOWN_HOSTS: emptyKnownHosts });
    expect(refused.code).toBe(255);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`flowdeck: e2 (127.0.0.3:${fleet.hosts[1]?.port}): unknown host key ssh-ed25519 ${fleet.hostKeys[0]?.sha256}`);
  });

  it('a local element gets this machine\'s shell, with the environment steps get', async () => {
    const piped = await withInput(['shell', 'here'], 'echo marker-$((6*7))\necho "db=${FLOWDECK_DB:-unset}"\nexit 4\n');
    expect(piped).toEqual({ code: 4, stdout: 'marker-42\ndb=unset\n', stderr: '' });
    expect(await ws.run(['shell', 'here', '--', 'sh', '-c', 'exit 7'])).toEqual({ code: 7, stdout: '', stderr: '' });
    // A command killed by a signal: 128 + its number, as a shell reports it.
    expect((await ws.run(['shell', 'here', '--', 'kill -TERM $$'])).code).toBe(128 + 15);
  });

  it('on a terminal: an interactive shell on a remote pty of the window\'s size, resized with it; exit ends it with its status', async () => {
    const { term, screen, exit } = onTerminal(['shell', 'e1']);
    term.write('stty size; echo tty=$(tty); echo marker-$((6*7))\r');
    await waitFor('the first answers', () => /marker-42/.test(screen()));
    expect(screen()).toMatch(/\b30 100\b/);
    expect(screen()).toMatch(/tty=\/dev\/pts\/\d+/);
    term.resize(120, 40);
    // The new size reaches the remote pty (SIGWINCH -> window-change) before the next command reads it.
    // Asked again until it shows: the window-change request and the typed command travel apart.
    await waitFor(
      'the remote pty to take the new size',
      () => {
        if (/\b40 120\b/.test(screen())) return true;
        term.write('stty size\r');
        return false;
      },
      20_000,
      250,
    );
    // Raw mode: Ctrl-C goes to the remote shell (it interrupts the sleep there), not to the CLI.
    term.write('sleep 31991\r');
    await waitFor('the remote sleep', () => remoteProcessesMatching('sleep 31991').length === 1);
    term.write('\x03');
    await waitFor('the remote sleep to be interrupted', () => remoteProcessesMatching('sleep 31991').length === 0);
    term.write('echo after-$((2+3))\r');
    await waitFor('the shell to answer after Ctrl-C', () => /after-5/.test(screen()));
    term.write('exit 6\r');
    expect(await exit).toBe(6);
  });

  it("on a terminal, a local element's shell runs on that very terminal, and its exit status is the CLI's", async () => {
    const { term, screen, exit } = onTerminal(['shell', 'here']);
    term.write('echo marker-$((6*7)) $(tty)\r');
    await waitFor('the local shell to answer', () => /marker-42 \/dev\/pts\/\d+/.test(screen()));
    term.write('exit 5\r');
    expect(await exit).toBe(5);
  });

  it('on a terminal an unknown host key is asked, as run asks; yes trusts it and the shell opens', async () => {
    const { term, screen, exit } = onTerminal(['shell', 'e4'], { FLOWDECK_KNOWN_HOSTS: emptyKnownHosts });
    await waitFor('the host key question', () => /Trust this key and connect\? \(yes\/no\)/.test(screen()));
    expect(screen()).toContain(`The authenticity of e4 (127.0.0.4:${fleet.hosts[2]?.port}) can't be established.`);
    expect(screen()).toContain(`ssh-ed25519 key fingerprint is ${fleet.hostKeys[0]?.sha256}.`);
    term.write('yes\r');
    // The answer is kept before the shell opens; keys typed from then on go to the remote shell.
    await waitFor('the key to be trusted', async () => (await ws.run(['known-hosts', 'list'])).stdout.includes('127.0.0.4'));
    term.write('echo marker-$((6*7))\r');
    await waitFor('the remote shell to answer', () => /marker-42/.test(screen()));
    term.write('exit\r');
    expect(await exit).toBe(0);
  });
});
