import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, Responses } from '../../src-shared/ipc/contract';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { startFleet, type Fleet } from '../support/sshd';
import { fakeRenderer } from './harness';
import { TestClient } from './ws-client';

type Question = Events['hostKey/question'];

/** An unknown host key met by a run the console started: asked in the window, answered over IPC. */
describe('host key questions through the console (real sshd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-ipc-hostkey-'));
  let fleet: Fleet;
  let hc: HeadlessConsole;
  let c: TestClient;
  const saved = { known: process.env.FLOWDECK_KNOWN_HOSTS, agent: process.env.SSH_AUTH_SOCK };

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1 });
    // No OpenSSH known_hosts knows the fleet: every key is unknown until the operator says yes.
    writeFileSync(join(dir, 'known_hosts'), '');
    process.env.FLOWDECK_KNOWN_HOSTS = join(dir, 'known_hosts');
    process.env.SSH_AUTH_SOCK = '';
    hc = await startHeadless({ dbPath: join(dir, 'flowdeck.db'), rendererDir: fakeRenderer(dir) });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
    const host = fleet.hosts[0];
    await c.value('credentials/save', { id: 'fleet-key', name: 'Fleet key', kind: 'key', privateKey: readFileSync(fleet.keys.ed25519, 'utf8') });
    await c.value('inventory/saveElement', {
      element: { id: 'box', name: 'box', host: host?.address, port: host?.port, user: fleet.user, credential: 'fleet-key' },
    });
    await c.value('flows/save', { source: "id: remote\nname: remote\ntargets: { elements: [box] }\nsteps:\n  - { id: hi, run: 'echo over ssh' }\n" });
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    await hc?.close();
    await fleet?.stop();
    for (const [name, value] of [['FLOWDECK_KNOWN_HOSTS', saved.known], ['SSH_AUTH_SOCK', saved.agent]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const finished = async (id: number): Promise<Responses['executions/get']> => {
    await c.until(() =>
      c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === id && !['queued', 'running'].includes((e.payload as Events['execution/changed']).status)),
    );
    return c.value<Responses['executions/get']>('executions/get', { id });
  };

  it('asks with the SHA256 fingerprint; "no" fails the run and trusts nothing', async () => {
    const seen = c.events.length;
    const { id } = await c.value<{ id: number }>('runs/start', { flow: 'remote' });
    const q = await c.until(() => c.events.slice(seen).find((e) => e.event === 'hostKey/question')?.payload as Question | undefined);
    expect(q).toEqual({ id: expect.any(String), element: 'box', host: fleet.hosts[0]?.address, port: fleet.hosts[0]?.port, keyType: 'ssh-ed25519', fingerprint: fleet.hostKeys[0]?.sha256 });
    expect(await c.value('hostKey/answer', { id: q.id, trust: false })).toEqual({ accepted: true });
    const ex = await finished(id);
    expect(ex.status).toBe('failed');
    expect(ex.runs[0]?.error).toMatch(/not trusted by the operator/);
    expect(await c.value('knownHosts/list', {})).toEqual([]);
  });

  it('a window that connects while a question waits is shown it; "yes" trusts the key and the run goes on', async () => {
    const seen = c.events.length;
    const { id } = await c.value<{ id: number }>('runs/start', { flow: 'remote' });
    const q = await c.until(() => c.events.slice(seen).find((e) => e.event === 'hostKey/question')?.payload as Question | undefined);
    const late = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
    try {
      const shown = await late.until(() => late.events.find((e) => e.event === 'hostKey/question')?.payload as Question | undefined);
      expect(shown.id).toBe(q.id);
      expect(await late.value('hostKey/answer', { id: q.id, trust: true })).toEqual({ accepted: true });
      // Answered once: the first window's answer comes too late.
      expect(await c.value('hostKey/answer', { id: q.id, trust: false })).toEqual({ accepted: false });
    } finally {
      await late.close();
    }
    const ex = await finished(id);
    expect(ex.status).toBe('succeeded');
    expect(await c.value('knownHosts/list', {})).toEqual([
      { host: fleet.hosts[0]?.address, port: fleet.hosts[0]?.port, keyType: 'ssh-ed25519', fingerprint: fleet.hostKeys[0]?.sha256, addedAt: expect.any(Number) },
    ]);
    // Trusted now: the next run asks nothing.
    const before = c.events.filter((e) => e.event === 'hostKey/question').length;
    const again = await c.value<{ id: number }>('runs/start', { flow: 'remote' });
    expect((await finished(again.id)).status).toBe('succeeded');
    expect(c.events.filter((e) => e.event === 'hostKey/question')).toHaveLength(before);
  });
});
