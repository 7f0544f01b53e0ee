import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, waitFor, Workspace } from '../support/cli';
import { latestExecution, query, statusOf, stepRuns, waitRunning, waitStatus } from './support';

// SPEC 4 "Control", issue 5: each request is made by a SECOND CLI process while the first one
// (`flowdeck run`) runs the execution; the two share only the SQLite file.
describe('pause, resume, cancel and approve from another process', () => {
  const ws = new Workspace('flowdeck-control-');
  beforeAll(async () => {
    ws.file('inv.ini', '[fleet]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.ini')])).code).toBe(0);
    ws.file(
      'flows.yaml',
      [
        'id: rolling\nname: Rolling\nmode: serial\ntargets: { groups: [fleet] }\nsteps:\n  - { id: one, run: "sleep 1.5" }\n  - { id: two, run: "sleep 1.5" }\n',
        'id: stuck\nname: Stuck\ntargets: { elements: [a] }\nsteps:\n  - { id: wait, run: "sleep 60" }\n  - { id: never, run: "true" }\n',
        'id: gated\nname: Gated\nmode: parallel\ntargets: { groups: [fleet] }\nsteps:\n  - { id: before, run: "true" }\n  - { id: ask, approval: "Restart the rest?" }\n  - { id: after, run: "echo went on" }\n',
      ].join('---\n'),
    );
    const r = await ws.run(['flow', 'import', ws.path('flows.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it('pause: running steps finish, no new one starts, the pause survives the first process dying; resume goes on without rerunning anything', { timeout: 60_000 }, async () => {
    const first = ws.spawn(['run', 'rolling']);
    const firstDone = collect(first);
    const id = await latestExecution(ws, 'rolling');
    await waitRunning(ws, id, 'one', 'a');

    const paused = await ws.run(['pause', String(id)]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain(`execution #${id} paused`);
    expect(statusOf(ws, id)).toBe('paused');
    // The step that was running finishes; nothing new starts while paused.
    await waitFor('the running step to finish', () => stepRuns(ws, id).every((r) => r.status !== 'running'), 10_000);
    const frozen = stepRuns(ws, id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(stepRuns(ws, id)).toEqual(frozen);
    expect(frozen.every((r) => r.status === 'succeeded')).toBe(true);
    expect(frozen.length).toBeLessThan(6);

    // The process running it dies: the execution stays paused (not interrupted) for anyone to resume.
    first.kill('SIGKILL');
    await firstDone;
    const list = await ws.run(['executions', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(statusOf(ws, id)).toBe('paused');

    const resumed = await ws.run(['resume', String(id), '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`execution #${id} resumes here on [123] unfinished element\\(s\\)`));
    const rep = JSON.parse(resumed.stdout) as { id: number; status: string; runs: Array<{ element: string; step: string; attempt: number; status: string }> };
    expect(rep.id).toBe(id);
    expect(rep.status).toBe('succeeded');
    // What ran before the pause is kept as it was, and nothing ran twice.
    expect(stepRuns(ws, id).slice(0, frozen.length)).toEqual(frozen);
    expect(rep.runs.map((r) => `${r.step}@${r.element}#${r.attempt}:${r.status}`)).toEqual([
      'one@a#1:succeeded',
      'two@a#1:succeeded',
      'one@b#1:succeeded',
      'two@b#1:succeeded',
      'one@c#1:succeeded',
      'two@c#1:succeeded',
    ]);
    expect(query<{ resumed_at: number | null }>(ws, 'SELECT resumed_at FROM executions WHERE id = ?', id)[0]?.resumed_at).toBeGreaterThan(0);
  });

  it('pause then resume while the first process keeps running it', { timeout: 60_000 }, async () => {
    const last = query<{ id: number }>(ws, 'SELECT max(id) AS id FROM executions')[0]?.id ?? 0;
    const first = ws.spawn(['run', 'rolling']);
    const firstDone = collect(first);
    const id = await latestExecution(ws, 'rolling', last);
    await waitRunning(ws, id, 'one', 'b');
    expect((await ws.run(['pause', String(id)])).code).toBe(0);
    await waitFor('the pause to settle', () => stepRuns(ws, id).every((r) => r.status !== 'running'), 10_000);
    const frozen = stepRuns(ws, id).length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(stepRuns(ws, id).length).toBe(frozen);
    const resumed = await ws.run(['resume', String(id)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`execution #${id} resumed`);
    const r = await firstDone;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('paused (running steps finish)');
    expect(statusOf(ws, id)).toBe('succeeded');
    expect(stepRuns(ws, id)).toHaveLength(6);
  });

  it('cancel from a second process kills the running command at once', async () => {
    const first = ws.spawn(['run', 'stuck']);
    const firstDone = collect(first);
    const id = await latestExecution(ws, 'stuck');
    await waitRunning(ws, id, 'wait');
    const t0 = Date.now();
    const c = await ws.run(['cancel', String(id), '--reason', 'wrong flow']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`execution #${id} cancelled`);
    const r = await firstDone;
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(query<{ status: string; error: string }>(ws, 'SELECT status, error FROM executions WHERE id = ?', id)[0]).toEqual({ status: 'cancelled', error: 'wrong flow' });
    expect(stepRuns(ws, id).map((s) => `${s.step_path}:${s.status}`)).toEqual(['wait:cancelled']);
    // A finished execution cannot be cancelled again: a clear error, exit 1.
    const again = await ws.run(['cancel', String(id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`execution #${id} has already ended (cancelled)`);
  });

  it('approve: the execution waits at the approval step; the answer names who and when; reject fails the step', { timeout: 60_000 }, async () => {
    const last = query<{ id: number }>(ws, 'SELECT max(id) AS id FROM executions')[0]?.id ?? 0;
    const first = ws.spawn(['run', 'gated']);
    const firstDone = collect(first);
    const id = await latestExecution(ws, 'gated', last);
    await waitFor('the approval to be asked', () => query(ws, `SELECT id FROM approvals WHERE execution_id = ? AND status = 'pending'`, id).length === 1, 30_000);
    // One question for the whole batch; the elements wait at the step.
    await new Promise((r) => setTimeout(r, 500));
    expect(stepRuns(ws, id).filter((r) => r.step_path === 'after')).toEqual([]);
    const ok = await ws.run(['approve', String(id), '--comment', 'go']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`step "ask" of execution #${id} approved by \\S+ \\(go\\)`));
    const r = await firstDone;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`flowdeck approve ${id}`);
    const ask = stepRuns(ws, id).filter((s) => s.step_path === 'ask');
    expect(ask.map((s) => `${s.element_id}:${s.status}`)).toEqual(['a:succeeded', 'b:succeeded', 'c:succeeded']);
    expect(JSON.parse(ask[0]?.result ?? '{}')).toMatchObject({ decision: 'approved', by: expect.any(String), at: expect.any(Number) });
    expect(stepRuns(ws, id).filter((s) => s.step_path === 'after' && s.status === 'succeeded')).toHaveLength(3);

    const second = ws.spawn(['run', 'gated']);
    const secondDone = collect(second);
    const id2 = await latestExecution(ws, 'gated', id);
    await waitFor('the second approval', () => query(ws, `SELECT id FROM approvals WHERE execution_id = ? AND status = 'pending'`, id2).length === 1, 30_000);
    expect((await ws.run(['approve', String(id2), '--reject', '--comment', 'not now'])).code).toBe(0);
    expect((await secondDone).code).toBe(1);
    expect(statusOf(ws, id2)).toBe('failed');
    expect(stepRuns(ws, id2).filter((s) => s.step_path === 'after').map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const rejected = query<{ error: string }>(ws, `SELECT error FROM step_runs WHERE execution_id = ? AND step_path = 'ask'`, id2);
    expect(rejected[0]?.error).toMatch(/^rejected by \S+ at \d{4}-.*: not now$/);

    // Nothing waits any more: approving is refused with a clear error.
    const late = await ws.run(['approve', String(id2)]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(`execution #${id2} (failed) is not waiting for an approval`);
  });

  it('bad requests: an unknown execution, a finished one', async () => {
    const unknown = await ws.run(['pause', '999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown execution 999999');
    const done = query<{ id: number }>(ws, `SELECT id FROM executions WHERE status = 'succeeded' LIMIT 1`)[0]?.id as number;
    const r = await ws.run(['resume', String(done)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`execution #${done} succeeded; there is nothing to resume`);
    expect((await ws.run(['pause', 'abc'])).stderr).toContain('"abc" is not an execution id');
    await waitStatus(ws, done, 'succeeded');
  });
});
