import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';
import { latestExecution, query, stepRuns } from './support';

// Canary: `canary: N` pauses the execution after the first N elements finished,
// waiting for an operator to approve the rest.
describe('canary', () => {
  const ws = new Workspace('flowdeck-canary-');
  const lastId = (): number => query<{ id: number }>(ws, 'SELECT COALESCE(max(id), 0) AS id FROM executions')[0]?.id ?? 0;
  const pendingCanary = (id: number): number =>
    query(ws, `SELECT id FROM approvals WHERE execution_id = ? AND step_path = '@canary' AND status = 'pending'`, id).length;

  beforeAll(async () => {
    ws.file('inv.ini', '[fleet]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\nd ansible_connection=local\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.ini')])).code).toBe(0);
    ws.file(
      'flows.yaml',
      [
        'id: rollout\nname: Rollout\nmode: parallel\ncanary: 1\ntargets: { groups: [fleet] }\nsteps:\n  - { id: deploy, run: "echo deploy {{ element.id }}" }\n  - { id: check, run: "true" }\n',
        `id: bad\nname: Bad canary\nmode: parallel\ncanary: 2\nonFailure: continue\ntargets: { groups: [fleet] }\nsteps:\n  - { id: deploy, run: "test {{ element.id }} != b" }\n`,
      ].join('---\n'),
    );
    const r = await ws.run(['flow', 'import', ws.path('flows.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it('the dry run shows the canary first and the wait point', async () => {
    const r = await ws.run(['run', 'rollout', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { waves: Array<Array<{ element: string; step: string }>>; notes: string[] };
    expect(plan.waves.map((w) => w.map((x) => `${x.step}@${x.element}`).join(' '))).toEqual([
      'deploy@a',
      'check@a',
      'deploy@b deploy@c deploy@d',
      'check@b check@c check@d',
    ]);
    expect(plan.notes).toEqual(['canary: after a the execution waits for an approval before the other 3 element(s)']);
  });

  it('waits after the canary; approve runs the rest, reject fails the execution with the rest never started', { timeout: 60_000 }, async () => {
    const before = lastId();
    const first = collect(ws.spawn(['run', 'rollout', '--json']));
    const id = await latestExecution(ws, 'rollout', before);
    await waitFor('the canary question', () => pendingCanary(id) === 1, 30_000);
    expect(new Set(stepRuns(ws, id).map((r) => r.element_id))).toEqual(new Set(['a']));
    const ok = await ws.run(['approve', String(id)]);
    expect(ok.code, ok.stderr).toBe(0);
    const r = await first;
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.runs.filter((x) => x.status === 'succeeded')).toHaveLength(8);

    const second = collect(ws.spawn(['run', 'rollout']));
    const id2 = await latestExecution(ws, 'rollout', id);
    await waitFor('the second canary question', () => pendingCanary(id2) === 1, 30_000);
    expect((await ws.run(['approve', String(id2), '--reject', '--comment', 'latency up'])).code).toBe(0);
    expect((await second).code).toBe(1);
    const row = query<{ status: string; error: string }>(ws, 'SELECT status, error FROM executions WHERE id = ?', id2)[0];
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/^canary rejected by \S+: latency up; the other 3 element\(s\) were not started$/);
    expect(new Set(stepRuns(ws, id2).map((x) => x.element_id))).toEqual(new Set(['a']));

    // Retry failed runs the elements the canary held back, as a new rollout with its own canary.
    const retry = collect(ws.spawn(['retry', String(id2), '--json']));
    const id3 = await latestExecution(ws, 'rollout', id2);
    await waitFor('the retry canary question', () => pendingCanary(id3) === 1, 30_000);
    expect((await ws.run(['approve', String(id3)])).code).toBe(0);
    const retried = await retry;
    expect(retried.code, retried.stderr).toBe(0);
    expect([...new Set((JSON.parse(retried.stdout) as ExecutionReport).runs.map((x) => x.element))].sort()).toEqual(['b', 'c', 'd']);
  });

  it('a failing canary stops the rollout without asking', async () => {
    const r = await ws.run(['run', 'bad', '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.error).toBe('canary failed on b; the other 2 element(s) were not started');
    expect(rep.runs.map((x) => `${x.element}:${x.status}`).sort()).toEqual(['a:succeeded', 'b:failed']);
    expect(query(ws, 'SELECT id FROM approvals WHERE execution_id = ?', rep.id)).toEqual([]);
  });
});
