// Host keys: an unknown key fails a non-interactive run with its SHA256 fingerprint
// unless the element says accept-new; an operator can trust it by fingerprint; a changed key
// always fails, loudly, naming both fingerprints, whatever the policy; an interactive run asks.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src-main/engine/runtime';
import { startRun } from '../../src-main/engine/executor';
import { executionReport } from '../../src-main/store/execution-queries';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import type { HostKeyQuestion } from '../../src-main/transport/ssh';
import { listKnownHosts } from '../../src-main/store/known-host-queries';
import { Workspace } from '../support/cli';
import { EngineHarness } from '../support/engine';
import { startFleet, type Fleet } from '../support/sshd';
import { describeRuns, expectNothingLost, literal, loadFlow, pairFlow as sharedPairFlow, runFlow, runOf } from './run-checks';

/** Two elements side by side, each failure dropping only its element. */
const pairFlow = (id: string, elements: string[]): string => sharedPairFlow(id, elements, { id: 'hello', run: 'echo hello' });

const { utils } = ssh2;

interface KnownHostRow {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

/** An ed25519 public key nobody serves, as `known-hosts add --key` takes it, and its fingerprint. */
function strangerHostKey(): { line: string; sha256: string } {
  const [, base64 = ''] = utils.generateKeyPairSync('ed25519').public.trim().split(/\s+/);
  const digest = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64');
  return { line: `ssh-ed25519 ${base64}`, sha256: `SHA256:${digest.replace(/=+$/, '')}` };
}

describe('host keys on a real sshd: unknown, trusted by fingerprint, accept-new, changed, asked', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  let port: number;
  let fingerprint: string;
  /** Stands in for ~/.ssh/known_hosts: empty, so only Flowdeck's own table can vouch for a host. */
  let emptyKnownHosts: string;
  const where = (id: string, host: string): string => `${id} (${host}:${port})`;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 4 });
    port = fleet.hosts[0]?.port as number;
    fingerprint = fleet.hostKeys[0]?.sha256 as string;
    emptyKnownHosts = ws.file('empty_known_hosts', '');
    ws.env = { FLOWDECK_KNOWN_HOSTS: emptyKnownHosts, SSH_AUTH_SOCK: '' };
    const box = `port: ${port}, user: ${fleet.user}, credential: fleet-key`;
    ws.file(
      'inventory.yaml',
      `
elements:
  - { id: strict2, name: strict2, host: 127.0.0.2, ${box} }
  - { id: new3, name: new3, host: 127.0.0.3, ${box}, hostKeyPolicy: accept-new }
  - { id: strict4, name: strict4, host: 127.0.0.4, ${box} }
  - { id: new4, name: new4, host: 127.0.0.4, ${box}, hostKeyPolicy: accept-new }
  - { id: strict5, name: strict5, host: 127.0.0.5, ${box} }
`,
    );
    const cred = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(cred.code, cred.stderr).toBe(0);
    const inv = await ws.run(['inventory', 'import', ws.path('inventory.yaml')]);
    expect(inv.code, inv.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    ws.dispose();
  });

  const knownHosts = async (): Promise<KnownHostRow[]> => {
    const r = await ws.run(['known-hosts', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as KnownHostRow[];
  };

  it('an unknown key fails a non-interactive run with its SHA256 fingerprint; accept-new on the other element connects and stores it', async () => {
    await loadFlow(ws, 'first-contact', pairFlow('first-contact', ['strict2', 'new3']));
    const { code, rep } = await runFlow(ws, 'first-contact');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    const failed = runOf(rep, 'hello', 'strict2');
    expect(failed.status, describeRuns(rep)).toBe('failed');
    expect(failed.error?.startsWith(`${where('strict2', '127.0.0.2')}: unknown host key ssh-ed25519 ${fingerprint}`), failed.error ?? '').toBe(true);
    expect(failed.error).toMatch(/nobody can confirm it in a non-interactive run/);
    // The message tells the operator the exact command that trusts it.
    expect(failed.error).toContain(`flowdeck known-hosts add 127.0.0.2:${port} --fingerprint ${fingerprint}`);
    expect(runOf(rep, 'after', 'strict2').status).toBe('skipped');
    expect(runOf(rep, 'hello', 'new3').status).toBe('succeeded');
    expect(runOf(rep, 'after', 'new3').status).toBe('succeeded');
    const rows = await knownHosts();
    expect(rows.map((r) => `${r.host}:${r.port} ${r.keyType} ${r.fingerprint}`)).toEqual([`127.0.0.3:${port} ssh-ed25519 ${fingerprint}`]);
    // The refused host left no trace: strict means strict.
    expect(fleet.acceptedConnections('127.0.0.2')).toBe(0);
  });

  it('known-hosts add --fingerprint refuses a wrong fingerprint and trusts the right one; the run then succeeds', async () => {
    const other = strangerHostKey();
    const wrong = await ws.run(['known-hosts', 'add', `127.0.0.2:${port}`, '--fingerprint', other.sha256]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`127.0.0.2:${port} shows ssh-ed25519 ${fingerprint}, not ${other.sha256}: not trusted`);
    expect((await knownHosts()).filter((r) => r.host === '127.0.0.2')).toEqual([]);

    const right = await ws.run(['known-hosts', 'add', `127.0.0.2:${port}`, '--fingerprint', fingerprint]);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toContain(`trusted 127.0.0.2:${port} ssh-ed25519 ${fingerprint}`);
    expect((await knownHosts()).filter((r) => r.host === '127.0.0.2').map((r) => r.fingerprint)).toEqual([fingerprint]);

    await loadFlow(ws, 'trusted', pairFlow('trusted', ['strict2']));
    const { code, rep } = await runFlow(ws, 'trusted');
    expect(rep.status, describeRuns(rep)).toBe('succeeded');
    expect(code).toBe(0);
  });

  it('a changed key fails with "HOST KEY CHANGED" naming both fingerprints, and accept-new does not override it', async () => {
    const old = strangerHostKey();
    const trust = await ws.run(['known-hosts', 'add', `127.0.0.4:${port}`, '--key', old.line]);
    expect(trust.code, trust.stderr).toBe(0);
    // new3 is known since the first test: it shows that the others' failure is theirs alone.
    await loadFlow(ws, 'changed', pairFlow('changed', ['strict4', 'new4', 'new3']));
    const { code, rep } = await runFlow(ws, 'changed');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    for (const id of ['strict4', 'new4']) {
      const failed = runOf(rep, 'hello', id);
      expect(failed.status, describeRuns(rep)).toBe('failed');
      expect(failed.error).toMatch(
        new RegExp(
          `^${literal(where(id, '127.0.0.4'))}: HOST KEY CHANGED\\. The host now shows ${literal(`ssh-ed25519 ${fingerprint}`)}, ` +
            `but Flowdeck known hosts trusts ${literal(`ssh-ed25519 ${old.sha256}`)}`,
        ),
      );
      expect(runOf(rep, 'after', id).status).toBe('skipped');
    }
    expect(runOf(rep, 'after', 'new3').status).toBe('succeeded');
    // The trusted key stays the old one: accept-new never replaces a key.
    expect((await knownHosts()).filter((r) => r.host === '127.0.0.4').map((r) => r.fingerprint)).toEqual([old.sha256]);
    expect(fleet.acceptedConnections('127.0.0.4')).toBe(0);
  });

  it('a changed key in the OpenSSH known_hosts file fails too, naming the file and line', async () => {
    const old = strangerHostKey();
    const file = ws.file('stale_known_hosts', `# stale\n[127.0.0.5]:${port} ${old.line}\n`);
    await loadFlow(ws, 'changed-file', pairFlow('changed-file', ['strict5', 'new3']));
    const { code, rep } = await runFlow(ws, 'changed-file', { FLOWDECK_KNOWN_HOSTS: file });
    expect(code).toBe(1);
    expectNothingLost(rep);
    const failed = runOf(rep, 'hello', 'strict5');
    expect(failed.error).toContain(`${where('strict5', '127.0.0.5')}: HOST KEY CHANGED`);
    expect(failed.error).toContain(`but ${file}:2 trusts ssh-ed25519 ${old.sha256}`);
    expect(failed.error).toContain(fingerprint);
    expect(runOf(rep, 'after', 'new3').status).toBe('succeeded');
  });

  describe('interactive runs ask the operator (askHostKey), in-process', () => {
    /** An engine whose runtime has an askHostKey callback, as the window and a terminal provide. */
    const harness = async (answer: (q: HostKeyQuestion) => boolean, asked: HostKeyQuestion[]): Promise<EngineHarness> => {
      const h = new EngineHarness();
      h.rt = await openRuntime(join(h.dir, 'flowdeck.db'), {
        knownHostsFile: emptyKnownHosts,
        askHostKey: (q) => {
          asked.push(q);
          return Promise.resolve(answer(q));
        },
      });
      h.inventory(`
elements:
  - { id: a2, name: a2, host: 127.0.0.2, port: ${port}, user: ${fleet.user}, identityFile: ${fleet.keys.ed25519} }
  - { id: a3, name: a3, host: 127.0.0.3, port: ${port}, user: ${fleet.user}, identityFile: ${fleet.keys.ed25519} }
`).flows(pairFlow('asked', ['a2', 'a3']));
      return h;
    };

    it('the question carries the fingerprint; "yes" runs and stores the key, so the next run does not ask', async () => {
      const asked: HostKeyQuestion[] = [];
      const h = await harness(() => true, asked);
      try {
        const rep = await h.run('asked');
        expect(rep.status, describeRuns(rep)).toBe('succeeded');
        expect(asked.map((q) => `${q.element} ${q.host}:${q.port} ${q.keyType} ${q.fingerprint}`).sort()).toEqual([
          `a2 127.0.0.2:${port} ssh-ed25519 ${fingerprint}`,
          `a3 127.0.0.3:${port} ssh-ed25519 ${fingerprint}`,
        ]);
        expect(listKnownHosts(h.rt.db).map((r) => `${r.host}:${r.port} ${r.fingerprint}`).sort()).toEqual([
          `127.0.0.2:${port} ${fingerprint}`,
          `127.0.0.3:${port} ${fingerprint}`,
        ]);
        const again = await h.run('asked');
        expect(again.status).toBe('succeeded');
        expect(asked).toHaveLength(2);
      } finally {
        h.close();
      }
    });

    it('a scheduled run never asks: the unknown key fails it with its fingerprint, as in any non-interactive run', async () => {
      const asked: HostKeyQuestion[] = [];
      const h = await harness(() => true, asked);
      try {
        const started = await startRun(h.rt.deps, { flow: 'asked', trigger: 'schedule' });
        expect(await started.done).toBe('failed');
        const rep = executionReport(h.rt.db, started.id) as ExecutionReport;
        expect(asked).toEqual([]);
        const failed = runOf(rep, 'hello', 'a2');
        expect(failed.error).toMatch(/nobody can confirm it in a non-interactive run/);
        expect(failed.error).toContain(fingerprint);
        expect(listKnownHosts(h.rt.db)).toEqual([]);
      } finally {
        h.close();
      }
    });

    it('"no" fails that element with "not trusted by the operator" and stores nothing; the other goes on', async () => {
      const asked: HostKeyQuestion[] = [];
      const h = await harness((q) => q.host !== '127.0.0.2', asked);
      try {
        const rep = await h.run('asked');
        expect(rep.status).toBe('failed');
        expectNothingLost(rep);
        const failed = runOf(rep, 'hello', 'a2');
        expect(failed.status, describeRuns(rep)).toBe('failed');
        expect(failed.error).toBe(`${where('a2', '127.0.0.2')}: host key ssh-ed25519 ${fingerprint} was not trusted by the operator`);
        expect(runOf(rep, 'after', 'a2').status).toBe('skipped');
        expect(runOf(rep, 'after', 'a3').status).toBe('succeeded');
        expect(listKnownHosts(h.rt.db).map((r) => r.host)).toEqual(['127.0.0.3']);
      } finally {
        h.close();
      }
    });
  });
});
