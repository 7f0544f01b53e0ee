import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, Workspace } from '../support/cli';
import { expectNoOverlapPerElement, latestExecution, query, waitRunning, writeDb, type RunRow } from './support';

// Many executions (the queue and element locks), through separate CLI processes sharing one database.
describe('the execution queue and per-element locks across processes', () => {
  const ws = new Workspace('flowdeck-queue-');
  const leafRuns = (ids: number[]): RunRow[] =>
    query<RunRow>(
      ws,
      `SELECT id, element_id, step_path, kind, attempt, status, started_at, finished_at, result FROM step_runs
       WHERE execution_id IN (SELECT value FROM json_each(?)) AND kind NOT IN ('flow', 'approval') ORDER BY id`,
      JSON.stringify(ids),
    );

  beforeAll(async () => {
    ws.file('inv.ini', '[fleet]\na ansible_connection=local\nb ansible_connection=local\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.ini')])).code).toBe(0);
    const busy = (id: string, els: string): string =>
      `id: ${id}\nname: ${id}\nmode: parallel\ntargets: { elements: [${els}] }\nsteps:\n${[1, 2, 3, 4].map((n) => `  - { id: s${n}, run: "sleep 0.3" }`).join('\n')}\n`;
    ws.file(
      'flows.yaml',
      [
        busy('busy1', 'a'),
        busy('busy2', 'a, b'),
        'id: outer\nname: outer\nmode: serial\ntargets: { elements: [a] }\nsteps:\n  - { id: before, run: "sleep 0.2" }\n  - { id: child, flow: inner }\n  - { id: after, run: "sleep 0.2" }\n',
        'id: inner\nname: inner\nmode: parallel\nsteps:\n  - { id: one, run: "sleep 0.2" }\n  - { id: two, run: "sleep 0.2" }\n',
        'id: slowq\nname: slowq\nparams: [{ name: secs, default: 0.5 }]\ntargets: { elements: [b] }\nsteps:\n  - { id: wait, target: local, run: "sleep {{ params.secs }}" }\n',
      ].join('---\n'),
    );
    const r = await ws.run(['flow', 'import', ws.path('flows.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it('two executions touching the same element never run a step on it at the same moment', async () => {
    const runs = await Promise.all([ws.run(['run', 'busy1']), ws.run(['run', 'busy2']), ws.run(['run', 'outer'])]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const ids = query<{ id: number }>(ws, `SELECT id FROM executions WHERE flow_id IN ('busy1', 'busy2', 'outer')`).map((r) => r.id);
    expect(ids).toHaveLength(3);
    const all = leafRuns(ids);
    expect(all.filter((r) => r.element_id === 'a')).toHaveLength(4 + 4 + 4);
    expect(all.every((r) => r.status === 'succeeded')).toBe(true);
    expectNoOverlapPerElement(all);
    // b is only in busy2: nothing held it back, its steps ran.
    expect(all.filter((r) => r.element_id === 'b')).toHaveLength(4);
    expect(query(ws, 'SELECT * FROM element_locks')).toEqual([]);
  });

  it('a parent and its child flow on the same element do not deadlock', async () => {
    const r = await ws.run(['run', 'outer', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as { runs: Array<{ step: string; element: string; status: string }> };
    expect(rep.runs.map((x) => `${x.step}@${x.element}:${x.status}`)).toEqual([
      'before@a:succeeded',
      'child@a:succeeded',
      'child/one@a:succeeded',
      'child/two@a:succeeded',
      'after@a:succeeded',
    ]);
  });

  it('with a limit of one execution at once, the queue starts by priority, then arrival; a cancelled waiter never starts', { timeout: 60_000 }, async () => {
    writeDb(ws, `INSERT INTO settings (key, value) VALUES ('maxConcurrentExecutions', '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    try {
      const last = query<{ id: number }>(ws, 'SELECT max(id) AS id FROM executions')[0]?.id ?? 0;
      // Long enough for three more CLI processes to start and queue behind it.
      const first = collect(ws.spawn(['run', 'slowq', '--param', 'secs=8', '--label', 'q=first']));
      const firstId = await latestExecution(ws, 'slowq', last);
      await waitRunning(ws, firstId, 'wait');
      const low = collect(ws.spawn(['run', 'slowq', '--label', 'q=low']));
      const lowId = await latestExecution(ws, 'slowq', firstId);
      const high = collect(ws.spawn(['run', 'slowq', '--priority', '5', '--label', 'q=high']));
      const highId = await latestExecution(ws, 'slowq', lowId);
      const doomed = collect(ws.spawn(['run', 'slowq', '--label', 'q=doomed']));
      const doomedId = await latestExecution(ws, 'slowq', highId);
      expect(query<{ status: string }>(ws, 'SELECT status FROM executions WHERE id IN (?, ?, ?) ORDER BY id', lowId, highId, doomedId).map((r) => r.status)).toEqual([
        'queued',
        'queued',
        'queued',
      ]);
      const cancel = await ws.run(['cancel', String(doomedId)]);
      expect(cancel.code, cancel.stderr).toBe(0);
      for (const r of await Promise.all([first, low, high])) expect(r.code, r.stderr).toBe(0);
      expect((await doomed).code).toBe(1);

      const rows = query<{ id: number; status: string; started_at: number | null; finished_at: number }>(
        ws,
        'SELECT id, status, started_at, finished_at FROM executions WHERE id IN (?, ?, ?, ?) ORDER BY started_at',
        firstId,
        lowId,
        highId,
        doomedId,
      );
      const started = rows.filter((r) => r.started_at !== null);
      expect(started.map((r) => r.id)).toEqual([firstId, highId, lowId]);
      for (let i = 1; i < started.length; i++) expect(started[i]?.started_at).toBeGreaterThanOrEqual(started[i - 1]?.finished_at as number);
      expect(rows.find((r) => r.id === doomedId)).toMatchObject({ status: 'cancelled', started_at: null });
    } finally {
      writeDb(ws, `DELETE FROM settings WHERE key = 'maxConcurrentExecutions'`);
    }
  });
});
