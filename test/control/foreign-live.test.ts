import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events } from '../../src-shared/ipc/contract';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { fakeRenderer } from '../ipc/harness';
import { TestClient } from '../ipc/ws-client';
import { collect, Workspace } from '../support/cli';
import { latestExecution } from './support';

// A run started in a terminal (`flowdeck run`) shows live in an open console: its state, its
// step runs and its output, read from what the other process commits.
describe('the console follows executions other processes run', () => {
  const ws = new Workspace('flowdeck-foreign-');
  let hc: HeadlessConsole;
  let c: TestClient;

  beforeAll(async () => {
    ws.file(
      'talk.yaml',
      'id: talk\nname: talk\ntargets: { elements: [localhost] }\nsteps:\n  - { id: count, run: "for i in 1 2 3 4 5; do echo tick $i; sleep 0.3; done" }\n  - { id: ask, approval: "Go on?" }\n  - { id: bye, run: "echo bye" }\n',
    );
    expect((await ws.run(['flow', 'import', ws.path('talk.yaml')])).code).toBe(0);
    hc = await startHeadless({ dbPath: ws.db, rendererDir: fakeRenderer(ws.dir) });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
  });
  afterAll(async () => {
    await c?.close();
    await hc?.close();
    ws.dispose();
  });

  it('state, step runs, output, the approval and the end arrive as events; the console can answer the approval', { timeout: 60_000 }, async () => {
    const run = collect(ws.spawn(['run', 'talk']));
    const id = await latestExecution(ws, 'talk');
    const text = (): string =>
      c.events
        .filter((e) => e.event === 'log/appended' && (e.payload as Events['log/appended']).executionId === id)
        .flatMap((e) => (e.payload as Events['log/appended']).chunks.filter((ch) => ch.stream === 'stdout').map((ch) => ch.data))
        .join('');
    await c.until(() => text().includes('tick 5') || undefined, 30_000);
    expect(text()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    const approval = (await c.until(
      () => c.events.find((e) => e.event === 'approval/changed' && (e.payload as Events['approval/changed']).executionId === id),
      30_000,
    )).payload as Events['approval/changed'];
    expect(approval).toMatchObject({ step: 'ask', status: 'pending', message: 'Go on?' });
    expect(c.events.some((e) => e.event === 'notice' && (e.payload as Events['notice']).kind === 'approval' && (e.payload as Events['notice']).executionId === id)).toBe(true);

    await c.value('executions/approve', { id, comment: 'from the console' });
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === id && (e.payload as Events['execution/changed']).status === 'succeeded'), 30_000);
    const runs = c.events
      .filter((e) => e.event === 'stepRuns/changed' && (e.payload as Events['stepRuns/changed']).executionId === id)
      .flatMap((e) => (e.payload as Events['stepRuns/changed']).runs);
    const last = new Map(runs.map((x) => [x.step, x.status]));
    expect(Object.fromEntries(last)).toEqual({ count: 'succeeded', ask: 'succeeded', bye: 'succeeded' });
    expect(c.events.some((e) => e.event === 'notice' && (e.payload as Events['notice']).kind === 'finished' && (e.payload as Events['notice']).executionId === id)).toBe(true);
    // Nothing twice: every line of output arrived once (the approval's own lines are `system`).
    expect(text()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\nbye\n');
  });
});
