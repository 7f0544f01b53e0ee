import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Events, Responses } from '../../src-shared/ipc/contract';
import { requestSchemas } from '../../src-shared/ipc/contract';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { fakeRenderer, smallInventory } from './harness';
import { TestClient } from './ws-client';
import { encryptedKeyPair } from '../support/keys';

const PASSWORD = 'Pw-never-reaches-the-window-7731';
const PASSPHRASE = 'passphrase never reaches the window 4410';
const key = encryptedKeyPair(PASSPHRASE, 'ops@test');
const KEY_LINES = key.private.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('-----'));

/**
 * Secrets are never sent to the renderer. Everything the console sends a window (every
 * answer of every channel, every event of a run whose commands print the secrets) is checked.
 */
describe('no secret reaches the renderer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-nosecret-'));
  let hc: HeadlessConsole;
  let c: TestClient;
  const called = new Set<string>();

  const call = async <C extends Channel>(channel: C, request: unknown): Promise<Responses[C]> => {
    called.add(channel);
    return c.value<Responses[C]>(channel, request);
  };

  beforeAll(async () => {
    writeFileSync(join(dir, 'pw.txt'), `${PASSWORD}\n`);
    writeFileSync(join(dir, 'key.txt'), key.private);
    writeFileSync(join(dir, 'pp.txt'), `the passphrase is ${PASSPHRASE}!\n`);
    hc = await startHeadless({ dbPath: join(dir, 'flowdeck.db'), rendererDir: fakeRenderer(dir) });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
  });
  afterAll(async () => {
    await c?.close();
    await hc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('through every channel and every event of a run whose commands print them', async () => {
    expect(KEY_LINES.length).toBeGreaterThan(3);
    // Writing secrets is allowed; the answers must not carry them back.
    const saved = await call('credentials/save', { id: 'ops-key', name: 'Ops key', kind: 'key', username: 'ops', privateKey: key.private, passphrase: PASSPHRASE });
    expect(saved).toMatchObject({ kind: 'key', hasPassphrase: true, fingerprint: expect.stringMatching(/^SHA256:/) });
    await call('credentials/save', { id: 'db-pw', name: 'DB', kind: 'password', username: 'admin', password: PASSWORD });
    await call('credentials/save', { id: 'tmp-pw', name: 'Temp', kind: 'password', password: `${PASSWORD}-tmp` });
    await call('credentials/delete', { id: 'tmp-pw' });
    await call('credentials/list', {});

    await call('inventory/import', { fileName: 'inv.yaml', text: smallInventory.replace('context: { role: leader }', 'credential: db-pw, context: { role: leader }') });
    await call('inventory/saveElement', { element: { id: 'web1', name: 'web1', host: 'web1.example', credential: 'ops-key' } });
    await call('inventory/saveElement', { element: { id: 'gone', name: 'gone', host: 'gone.example', credential: 'ops-key' } });
    await call('inventory/deleteElement', { id: 'gone' });
    await call('inventory/list', {});

    const flow =
      'id: leaky\nname: leaky\ntargets: { elements: [localhost] }\nprocessing: "return elements"\nsteps:\n' +
      `  - { id: pw, run: 'cat ${join(dir, 'pw.txt')}' }\n` +
      `  - { id: key, run: 'cat ${join(dir, 'key.txt')}; cat ${join(dir, 'key.txt')} >&2' }\n` +
      `  - { id: pp, run: 'cat ${join(dir, 'pp.txt')}; exit 3', continueOnError: true }\n` +
      `  - { id: slow, run: 'sleep 30' }\n`;
    await call('flows/validate', { source: flow });
    await call('flows/preview', { source: flow });
    await call('flows/save', { source: flow });
    await call('flows/list', {});
    await call('flows/get', { id: 'leaky' });
    await call('tasks/list', {});
    await call('runs/plan', { flow: 'leaky' });
    const { id } = await call('runs/start', { flow: 'leaky', labels: { why: 'leak-test' } });

    // Wait for the slow step to run: the three printing steps are over by then.
    await c.until(() =>
      c.events.find((e) => e.event === 'stepRuns/changed' && (e.payload as Events['stepRuns/changed']).runs.some((r) => r.step === 'slow' && r.status === 'running')),
    );
    await call('executions/cancel', { id });
    await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).status === 'cancelled'));

    await call('executions/list', {});
    const ex = await call('executions/get', { id });
    expect(ex.runs.map((r) => [r.step, r.status])).toEqual([
      ['pw', 'succeeded'],
      ['key', 'succeeded'],
      ['pp', 'failed'],
      ['slow', 'cancelled'],
    ]);
    let logText = '';
    for (const run of ex.stepRuns) {
      let after = 0;
      for (;;) {
        const page = await call('executions/log', { stepRunId: run.id, after, limit: 1 });
        logText += page.chunks.map((ch) => ch.data).join('');
        if (page.done || page.last === after) break;
        after = page.last;
      }
    }
    // The commands did print something: redacted, not dropped.
    expect(logText).toContain('***');
    expect(logText).toContain('the passphrase is ***!');
    expect(c.events.some((e) => e.event === 'log/appended')).toBe(true);
    // Output grouping sends samples of the same logs: redacted too.
    const grouped = await call('executions/outputGroups', { id, step: 'key', stream: 'both' });
    expect(grouped.groups.map((g) => g.sample).join('')).toContain('***');

    // Control: a retry of the cancelled run prints the same secrets again; pause, resume, cancel it.
    const retry = await call('executions/retry', { id });
    await c.until(() =>
      c.events.find(
        (e) => e.event === 'stepRuns/changed' && (e.payload as Events['stepRuns/changed']).executionId === retry.id && (e.payload as Events['stepRuns/changed']).runs.some((r) => r.step === 'slow' && r.status === 'running'),
      ),
    );
    await call('executions/pause', { id: retry.id });
    await call('executions/resume', { id: retry.id });
    await call('executions/cancel', { id: retry.id });
    await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === retry.id && (e.payload as Events['execution/changed']).status === 'cancelled'));
    await call('flows/save', { source: `id: gate\nname: gate\ntargets: { elements: [localhost] }\nsteps:\n  - { id: ask, approval: 'print ${PASSWORD}?' }\n  - { id: show, run: 'cat ${join(dir, 'pw.txt')}' }\n` });
    const gate = await call('runs/start', { flow: 'gate' });
    await c.until(() => c.events.find((e) => e.event === 'approval/changed' && (e.payload as Events['approval/changed']).executionId === gate.id));
    await call('executions/approve', { id: gate.id, comment: `ok ${PASSWORD}` });
    await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === gate.id && (e.payload as Events['execution/changed']).status === 'succeeded'));
    await call('executions/get', { id: gate.id });

    await call('inventory/saveGroup', { group: { name: 'dbs', vars: { role: 'db' }, children: [] } });
    await call('inventory/deleteGroup', { name: 'dbs' });
    await call('inventory/saveProfile', { profile: { id: 'ops', credential: 'db-pw', context: {} } });
    await call('inventory/deleteProfile', { id: 'ops' });
    await call('settings/get', {});
    await call('settings/save', { retentionDays: 30 });
    await call('schedules/preview', { when: { days: ['mon'], at: '02:30' }, timezone: 'UTC' });
    const sched = await call('schedules/save', { schedule: { flow: 'gate', when: { cron: '0 3 * * *' }, timezone: 'UTC', params: {}, enabled: false } });
    await call('schedules/list', {});
    await call('schedules/delete', { id: sched.id });

    await call('knownHosts/list', {});
    await call('knownHosts/remove', { host: 'web1.example', port: 22 });
    await call('hostKey/answer', { id: 'none', trust: false });
    // A webhook's signing secret is written, never answered; a trigger's token is answered once, to the window that added it.
    const hook = await call('webhooks/add', { url: 'http://127.0.0.1:9/hook', events: ['finished'], secret: PASSWORD });
    expect(hook.signed).toBe(true);
    await call('webhooks/list', {});
    await call('webhooks/delete', { id: hook.id });
    const trigger = await call('triggers/add', { flow: 'gate' });
    await call('triggers/list', {});
    await call('triggers/delete', { id: trigger.trigger.id });
    // The runners view names Redis by a URL that carries a password here: the answer never does.
    process.env.FLOWDECK_REDIS_URL = `redis://:${PASSWORD}@127.0.0.1:1`;
    try {
      expect((await call('runners/list', {})).redis).toMatchObject({ url: 'redis://127.0.0.1:1/0', reachable: false });
    } finally {
      delete process.env.FLOWDECK_REDIS_URL;
    }

    // A terminal is the renderer too: what a shell prints reaches the window redacted, as a log does.
    const { sessionId } = await call('shell/open', { element: 'localhost', cols: 80, rows: 24 });
    await call('shell/resize', { sessionId, cols: 100, rows: 30 });
    await call('shell/input', { sessionId, data: `cat ${join(dir, 'pw.txt')} ${join(dir, 'key.txt')} ${join(dir, 'pp.txt')}; echo shell-$((6*7))\r` });
    const shellOutput = (): string =>
      c.events
        .filter((e) => e.event === 'shell/output' && (e.payload as Events['shell/output']).sessionId === sessionId)
        .map((e) => (e.payload as Events['shell/output']).data)
        .join('');
    await c.until(() => /shell-42/.test(shellOutput()) || undefined);
    expect(shellOutput()).toContain('the passphrase is ***!');
    await call('shell/ack', { sessionId, chars: shellOutput().length });
    await call('shell/close', { sessionId });
    await c.until(() => c.events.find((e) => e.event === 'shell/exit' && (e.payload as Events['shell/exit']).sessionId === sessionId));

    // Every channel of the contract was called.
    expect([...called].sort()).toEqual(Object.keys(requestSchemas).sort());

    // Nothing the window received holds a secret or any line of the key.
    const received = c.raw.join('\n');
    expect(c.raw.length).toBeGreaterThan(30);
    expect(received).not.toContain(PASSWORD);
    expect(received).not.toContain(PASSPHRASE);
    for (const line of KEY_LINES) expect(received).not.toContain(line.trim());
    // JSON escaping cannot hide one either.
    for (const raw of c.raw) {
      const decoded = JSON.stringify(JSON.parse(raw));
      expect(decoded).not.toContain(PASSWORD);
    }
  });
});
