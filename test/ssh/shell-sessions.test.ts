// The console's terminals through `flowdeck serve`'s real WebSocket, on real sshd hosts and on
// this machine: a session belongs to the window (WebSocket) that opened it, its output goes there
// alone, another window can neither type into it nor close it, an unknown host key is asked as a
// run asks, closing (or the window going away) ends the remote shell and what runs in it, and
// output stops at the high-water mark until the window acknowledges what it drew.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, Result } from '../../src-shared/ipc/contract';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { DEFAULT_SHELL_LIMITS } from '../../src-main/shell/sessions';
import { fakeRenderer, IpcHarness } from '../ipc/harness';
import { TestClient } from '../ipc/ws-client';
import { processesStartingWith } from '../support/process-groups';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';
import { waitFor } from '../support/cli';

type Output = Events['shell/output'];
type Exit = Events['shell/exit'];
type Question = Events['hostKey/question'];

/** Everything a window was sent for one session, in order. */
const outputOf = (c: TestClient, sessionId: string): string =>
  c.events
    .filter((e) => e.event === 'shell/output' && (e.payload as Output).sessionId === sessionId)
    .map((e) => (e.payload as Output).data)
    .join('');

const exitOf = (c: TestClient, sessionId: string): Exit | undefined =>
  c.events.find((e) => e.event === 'shell/exit' && (e.payload as Exit).sessionId === sessionId)?.payload as Exit | undefined;

const questions = (c: TestClient, from: number): Question[] => c.events.slice(from).filter((e) => e.event === 'hostKey/question').map((e) => e.payload as Question);

describe('console shell sessions over the WebSocket (real sshd, local pty)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-shell-sessions-'));
  let fleet: Fleet;
  let hc: HeadlessConsole;
  let a: TestClient;
  let b: TestClient;
  const saved = { known: process.env.FLOWDECK_KNOWN_HOSTS, agent: process.env.SSH_AUTH_SOCK };

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2 });
    // 127.0.0.2 is known from an OpenSSH known_hosts file; 127.0.0.3 is known to nobody.
    const [h1, h2] = fleet.hosts;
    writeFileSync(join(dir, 'known_hosts'), fleet.knownHostsLines().filter((l) => l.startsWith(`[${h1?.address}]`)).join('\n') + '\n');
    process.env.FLOWDECK_KNOWN_HOSTS = join(dir, 'known_hosts');
    process.env.SSH_AUTH_SOCK = '';
    hc = await startHeadless({ dbPath: join(dir, 'flowdeck.db'), rendererDir: fakeRenderer(dir) });
    const url = `ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`;
    [a, b] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    await a.value('credentials/save', { id: 'fleet-key', name: 'Fleet key', kind: 'key', privateKey: readFileSync(fleet.keys.ed25519, 'utf8') });
    const box = (id: string, host: typeof h1) => ({ id, name: id, host: host?.address, port: host?.port, user: fleet.user, credential: 'fleet-key' });
    await a.value('inventory/saveElement', { element: box('box', h1) });
    await a.value('inventory/saveElement', { element: box('stranger', h2) });
    await a.value('inventory/saveElement', { element: { id: 'here', name: 'here', host: 'localhost', transport: 'local' } });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await hc?.close();
    await fleet?.stop();
    for (const [name, value] of [['FLOWDECK_KNOWN_HOSTS', saved.known], ['SSH_AUTH_SOCK', saved.agent]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (c: TestClient, element: string, size = { cols: 100, rows: 30 }): Promise<string> =>
    (await c.value<{ sessionId: string }>('shell/open', { element, ...size })).sessionId;
  const type = (c: TestClient, sessionId: string, data: string): Promise<unknown> => c.value('shell/input', { sessionId, data });
  const sees = (c: TestClient, sessionId: string, pattern: RegExp): Promise<true> => c.until(() => pattern.test(outputOf(c, sessionId)) || undefined);

  it('a shell on an SSH element: its output goes to the window that opened it alone, and only that window can type, resize or close it', async () => {
    const id = await open(a, 'box');
    await type(a, id, 'stty size; echo marker-$((6*7)) $(tty)\r');
    await sees(a, id, /marker-42 \/dev\/pts\/\d+/);
    expect(outputOf(a, id)).toMatch(/\b30 100\b/);

    // The other window is never told about it, and whatever it sends is answered as for no session at all.
    expect(b.events.filter((e) => e.event.startsWith('shell/'))).toEqual([]);
    const notFound = { ok: false, error: { code: 'not-found', message: `no open shell session "${id}" in this window` } };
    expect(await b.call('shell/input', { sessionId: id, data: 'echo intruder-$((3*3))\r' })).toEqual(notFound);
    expect(await b.call('shell/resize', { sessionId: id, cols: 10, rows: 5 })).toEqual(notFound);
    expect(await b.call('shell/ack', { sessionId: id, chars: 10 })).toEqual(notFound);
    expect(await b.call('shell/close', { sessionId: id })).toEqual({ ok: true, value: { closed: false } });

    await a.value('shell/resize', { sessionId: id, cols: 132, rows: 43 });
    await type(a, id, 'stty size; echo still-$((2+2))\r');
    await sees(a, id, /still-4/);
    expect(outputOf(a, id)).toMatch(/\b43 132\b/);
    expect(outputOf(a, id)).not.toContain('intruder-9');

    // Closing ends the remote shell and the job running in it.
    await type(a, id, 'sleep 31992\r');
    await waitFor('the remote sleep', () => remoteProcessesMatching('sleep 31992').length === 1);
    expect(await a.value('shell/close', { sessionId: id })).toEqual({ closed: true });
    await a.until(() => exitOf(a, id));
    await waitFor('the remote sleep to end with its shell', () => remoteProcessesMatching('sleep 31992').length === 0);
    expect(await a.call('shell/input', { sessionId: id, data: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('exit in the shell ends the session with its status; several sessions run side by side', async () => {
    const [one, two] = await Promise.all([open(a, 'box'), open(a, 'box')]);
    expect(one).not.toBe(two);
    await type(a, two, 'echo two-$((1+1))\r');
    await type(a, one, 'exit 7\r');
    expect(await a.until(() => exitOf(a, one))).toEqual({ sessionId: one, code: 7, signal: null });
    await sees(a, two, /two-2/);
    expect(exitOf(a, two)).toBeUndefined();
    await a.value('shell/close', { sessionId: two });
    await a.until(() => exitOf(a, two));
  });

  it('a window that goes away takes its shells with it', async () => {
    const c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
    const id = await open(c, 'box');
    await type(c, id, 'sleep 31993\r');
    await waitFor('the remote sleep', () => remoteProcessesMatching('sleep 31993').length === 1);
    await c.close();
    await waitFor('the remote sleep to end with the window', () => remoteProcessesMatching('sleep 31993').length === 0);
  });

  it('an unknown host key is asked in every window as a run asks: no refuses the shell, yes opens it and trusts the key', async () => {
    const fingerprint = fleet.hostKeys[0]?.sha256;
    let seen = a.events.length;
    const refused = a.call('shell/open', { element: 'stranger', cols: 80, rows: 24 });
    const q = (await a.until(() => questions(a, seen)[0])) as Question;
    expect(q).toMatchObject({ element: 'stranger', host: '127.0.0.3', keyType: 'ssh-ed25519', fingerprint });
    await b.until(() => b.events.find((e) => e.event === 'hostKey/question' && (e.payload as Question).id === q.id));
    await b.value('hostKey/answer', { id: q.id, trust: false });
    const no = (await refused) as Result<unknown>;
    expect(no).toMatchObject({ ok: false, error: { code: 'transport' } });
    expect(!no.ok && no.error.message).toBe(`stranger (127.0.0.3:${fleet.hosts[1]?.port}): host key ssh-ed25519 ${fingerprint} was not trusted by the operator`);

    seen = a.events.length;
    const accepted = a.call('shell/open', { element: 'stranger', cols: 80, rows: 24 });
    const again = (await a.until(() => questions(a, seen)[0])) as Question;
    await a.value('hostKey/answer', { id: again.id, trust: true });
    const yes = (await accepted) as Result<{ sessionId: string }>;
    if (!yes.ok) throw new Error(yes.error.message);
    await type(a, yes.value.sessionId, 'echo trusted-$((5*5))\r');
    await sees(a, yes.value.sessionId, /trusted-25/);
    await a.value('shell/close', { sessionId: yes.value.sessionId });
    const hosts = await a.value<Array<{ host: string; fingerprint: string }>>('knownHosts/list', {});
    expect(hosts.filter((h) => h.host === '127.0.0.3').map((h) => h.fingerprint)).toEqual([fingerprint]);
  });

  it('output stops at the high-water mark until the window acknowledges what it drew, then all of it arrives', async () => {
    const id = await open(a, 'box');
    const total = 3_000_000;
    const xs = (): number => (outputOf(a, id).match(/x{100,}/g) ?? []).reduce((n, run) => n + run.length, 0);
    await type(a, id, `head -c ${total} /dev/zero | tr '\\0' x; echo; echo done-$((4*4))\r`);
    await a.until(() => outputOf(a, id).length >= DEFAULT_SHELL_LIMITS.highWater || undefined);
    // A negative check needs a window: were the output still read, the other 2.7 MB (well under a
    // second's work here) would arrive within it.
    const bound = DEFAULT_SHELL_LIMITS.highWater + 4 * DEFAULT_SHELL_LIMITS.maxMessageChars;
    const overflowed = await waitFor('more output than the high-water mark lets through', () => outputOf(a, id).length > bound, 3000, 50).then(
      () => true,
      () => false,
    );
    expect(overflowed, `${outputOf(a, id).length} characters sent with none acknowledged`).toBe(false);
    expect(xs()).toBeLessThan(total);

    // Acknowledging as a terminal does (what it drew, in pieces) lets the rest through, in order.
    let acked = 0;
    await a.until(() => {
      const sent = outputOf(a, id).length;
      if (sent > acked) {
        void a.value('shell/ack', { sessionId: id, chars: sent - acked });
        acked = sent;
      }
      return /done-16/.test(outputOf(a, id)) || undefined;
    }, 60_000);
    expect(xs()).toBe(total);
    await a.value('shell/close', { sessionId: id });
  });

  it('a local element gets a shell on a local pty; closing ends its process group', async () => {
    const id = await open(a, 'here', { cols: 90, rows: 20 });
    await type(a, id, 'stty size; echo local-$((6*7)) $(tty)\r');
    await sees(a, id, /local-42 \/dev\/pts\/\d+/);
    expect(outputOf(a, id)).toMatch(/\b20 90\b/);
    await type(a, id, 'sleep 31994\r');
    await waitFor('the local sleep', () => processesStartingWith('sleep 31994').length === 1);
    await a.value('shell/close', { sessionId: id });
    await a.until(() => exitOf(a, id));
    await waitFor('the local sleep to end with its shell', () => processesStartingWith('sleep 31994').length === 0);
  });

  it('an unknown element is one line naming it; a request from no window cannot open a shell', async () => {
    expect(await a.call('shell/open', { element: 'nope', cols: 80, rows: 24 })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown element "nope"' } });
    const h = await new IpcHarness().open();
    try {
      expect(await h.dispatch('shell/open', { element: 'localhost', cols: 80, rows: 24 })).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: 'shell sessions belong to a console window, and this request came from none' },
      });
    } finally {
      await h.close();
    }
  });
});
