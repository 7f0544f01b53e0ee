import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { answerApproval, requestCancel, requestPause, requestResume } from '../../src-main/control/requests';
import { listApprovals } from '../../src-main/store/control-queries';
import { getExecution } from '../../src-main/store/execution-queries';
import { collect, waitFor, Workspace } from '../support/cli';
import { sorted, useHeldEngine } from '../support/held-engine';
import { latestExecution, query, statusOf, stepRuns, waitRunning, waitStatus } from './support';

/** `STEP@ELEMENT#ATTEMPT:status` for every step run, in the order they were recorded. */
const outcome = (rep: ExecutionReport): string[] => rep.runs.map((r) => `${r.step}@${r.element}#${r.attempt}:${r.status}`);

// The same requests in-process, on commands the test holds: what runs while paused, cancelled
// or waiting for an approval is a state the test reads, never a moment it waits for.
describe('pause, resume, cancel and approve, step by step (in-process engine, commands held by the test)', () => {
  const engine = useHeldEngine(
    3,
    'id: rolling\nname: Rolling\nmode: serial\ntargets: { groups: [fleet] }\nsteps:\n  - { id: one, run: one }\n  - { id: two, run: two }\n',
    'id: wide\nname: Wide\nmode: parallel\ntargets: { groups: [fleet] }\nsteps:\n  - { id: one, run: one }\n  - { id: two, run: two }\n',
    'id: gated\nname: Gated\nmode: parallel\ntargets: { groups: [fleet] }\nsteps:\n  - { id: before, run: before }\n  - { id: ask, approval: "Restart the rest?" }\n  - { id: after, run: after }\n',
  );

  const status = (id: number): string | undefined => getExecution(engine.h.rt.db, id)?.status;

  it('pause: the running step finishes, no new one starts; resume goes on without running anything twice', async () => {
    const run = await engine.h.start('rolling');
    await engine.t.started('one', 'e1');
    expect(requestPause(engine.h.rt.deps, run.id)).toBe('paused');
    expect(await engine.running()).toEqual(['one@e1']);
    engine.t.finish('one', 'e1');
    expect(await engine.running()).toEqual([]);
    expect(status(run.id)).toBe('paused');
    expect(outcome(engine.h.report(run.id))).toEqual(['one@e1#1:succeeded']);

    expect(requestResume(engine.h.rt.deps, run.id)).toEqual({ lifted: true, status: 'running' });
    for (const e of ['e1', 'e2', 'e3']) {
      for (const s of e === 'e1' ? ['two'] : ['one', 'two']) {
        await engine.t.started(s, e);
        expect(await engine.running()).toEqual([`${s}@${e}`]);
        engine.t.finish(s, e);
      }
    }
    expect(await run.done).toBe('succeeded');
    expect(engine.t.starts()).toEqual(['one@e1', 'two@e1', 'one@e2', 'two@e2', 'one@e3', 'two@e3']);
    expect(outcome(engine.h.report(run.id))).toEqual(['one@e1#1:succeeded', 'two@e1#1:succeeded', 'one@e2#1:succeeded', 'two@e2#1:succeeded', 'one@e3#1:succeeded', 'two@e3#1:succeeded']);
  });

  it('pause in a parallel step: every running element finishes its step, the next step waits for the resume', async () => {
    const run = await engine.h.start('wide');
    await engine.t.allStarted(['one@e1', 'one@e2', 'one@e3']);
    expect(requestPause(engine.h.rt.deps, run.id)).toBe('paused');
    const left = ['one@e1', 'one@e2', 'one@e3'];
    for (const e of ['e2', 'e1', 'e3']) {
      engine.t.finish('one', e);
      left.splice(left.indexOf(`one@${e}`), 1);
      expect(await engine.running()).toEqual(left);
    }
    expect(engine.t.starts().filter((k) => k.startsWith('two'))).toEqual([]);
    expect(status(run.id)).toBe('paused');
    requestResume(engine.h.rt.deps, run.id);
    await engine.t.allStarted(['two@e1', 'two@e2', 'two@e3']);
    for (const e of ['e1', 'e2', 'e3']) engine.t.finish('two', e);
    expect(await run.done).toBe('succeeded');
  });

  it('cancel kills the running commands at once; nothing after them starts; a second cancel is refused', async () => {
    const run = await engine.h.start('wide');
    await engine.t.allStarted(['one@e1', 'one@e2', 'one@e3']);
    engine.t.finish('one', 'e2');
    expect(await engine.running()).toEqual(['one@e1', 'one@e3']);
    requestCancel(engine.h.rt.deps, run.id, 'wrong flow');
    // Nobody ends them: the engine kills them itself.
    expect(await run.done).toBe('cancelled');
    expect(sorted(engine.t.history.filter((e) => e.startsWith('kill')))).toEqual(['kill one@e1', 'kill one@e3']);
    expect(engine.t.running()).toEqual([]);
    expect(engine.t.starts().filter((k) => k.startsWith('two'))).toEqual([]);
    const rep = engine.h.report(run.id);
    expect(rep.error).toBe('wrong flow');
    expect(sorted(outcome(rep))).toEqual(['one@e1#1:cancelled', 'one@e2#1:succeeded', 'one@e3#1:cancelled']);
    expect(() => requestCancel(engine.h.rt.deps, run.id)).toThrow(`execution #${run.id} has already ended (cancelled)`);
  });

  it('approval: one question for the batch; nothing after it starts until it is approved; a rejection fails the step', async () => {
    const run = await engine.h.start('gated');
    await engine.t.allStarted(['before@e1', 'before@e2', 'before@e3']);
    for (const e of ['e1', 'e2', 'e3']) engine.t.finish('before', e);
    expect(await engine.running()).toEqual([]);
    expect(listApprovals(engine.h.rt.db, run.id).map((a) => `${a.step}:${a.status}`)).toEqual(['ask:pending']);
    expect(engine.t.starts().filter((k) => k.startsWith('after'))).toEqual([]);
    expect(engine.h.report(run.id).runs.filter((r) => r.step === 'ask').map((r) => r.status)).toEqual(['running', 'running', 'running']);
    answerApproval(engine.h.rt.deps, run.id, 'approve', 'go');
    await engine.t.allStarted(['after@e1', 'after@e2', 'after@e3']);
    for (const e of ['e1', 'e2', 'e3']) engine.t.finish('after', e);
    expect(await run.done).toBe('succeeded');
    const ask = engine.h.report(run.id).runs.filter((r) => r.step === 'ask');
    expect(ask.map((r) => `${r.element}:${r.status}`)).toEqual(['e1:succeeded', 'e2:succeeded', 'e3:succeeded']);

    const second = await engine.h.start('gated');
    await engine.t.allStarted(['before@e1', 'before@e2', 'before@e3']);
    for (const e of ['e1', 'e2', 'e3']) engine.t.finish('before', e);
    await engine.h.idle();
    answerApproval(engine.h.rt.deps, second.id, 'reject', 'not now');
    expect(await second.done).toBe('failed');
    const rep = engine.h.report(second.id);
    expect(rep.runs.filter((r) => r.step === 'after').map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(rep.runs.find((r) => r.step === 'ask')?.error).toMatch(/^rejected by \S+ at \d{4}-.*: not now$/);
    // Only the first execution's three: the rejected one started none.
    expect(engine.t.starts().filter((k) => k.startsWith('after'))).toHaveLength(3);
  });
});

// Each request is made by a SECOND CLI process while the first one (`flowdeck run`) runs the
// execution; the two share only the SQLite file. Each step of `rolling` (a serial flow: one step
// at a time) waits for a token file the test hands out, or for `free`, so a step is running for
// exactly as long as the test needs it to.
describe('pause, resume, cancel and approve from another process', () => {
  const ws = new Workspace('flowdeck-control-');
  const gate = `until [ -e ${ws.path('free')} ] || rm ${ws.path('go')} 2>/dev/null; do sleep 0.05; done`;
  /** Lets the step running now end: hands it the token and waits until it took it. */
  const letOneEnd = async (): Promise<void> => {
    writeFileSync(ws.path('go'), '');
    await waitFor('the running step to take its token', () => !existsSync(ws.path('go')), 20_000);
  };
  const letAllEnd = (): void => writeFileSync(ws.path('free'), '');
  beforeAll(async () => {
    ws.file('inv.ini', '[fleet]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.ini')])).code).toBe(0);
    ws.file(
      'flows.yaml',
      [
        `id: rolling\nname: Rolling\nmode: serial\ntargets: { groups: [fleet] }\nsteps:\n  - { id: one, run: ${JSON.stringify(gate)} }\n  - { id: two, run: ${JSON.stringify(gate)} }\n`,
        'id: stuck\nname: Stuck\ntargets: { elements: [a] }\nsteps:\n  - { id: wait, run: "sleep 60" }\n  - { id: never, run: "true" }\n',
        'id: gated\nname: Gated\nmode: parallel\ntargets: { groups: [fleet] }\nsteps:\n  - { id: before, run: "true" }\n  - { id: ask, approval: "Restart the rest?" }\n  - { id: after, run: "echo went on" }\n',
      ].join('---\n'),
    );
    const r = await ws.run(['flow', 'import', ws.path('flows.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  beforeEach(() => {
    for (const f of ['go', 'free']) rmSync(ws.path(f), { force: true });
  });
  afterAll(() => ws.dispose());

  it('pause: the running step finishes, nothing new starts, the pause survives the first process dying; resume goes on without rerunning anything', { timeout: 60_000 }, async () => {
    const first = ws.spawn(['run', 'rolling']);
    const firstDone = collect(first);
    const id = await latestExecution(ws, 'rolling');
    await waitRunning(ws, id, 'one', 'a');

    const paused = await ws.run(['pause', String(id)]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain(`execution #${id} paused`);
    expect(statusOf(ws, id)).toBe('paused');
    // The step that was running finishes once it may; the next one does not start.
    await letOneEnd();
    await waitFor('the running step to finish', () => stepRuns(ws, id).every((r) => r.status !== 'running'), 20_000);
    const frozen = stepRuns(ws, id);
    expect(frozen.map((r) => `${r.step_path}@${r.element_id}:${r.status}`)).toEqual(['one@a:succeeded']);

    // The process running it dies: the execution stays paused (not interrupted) for anyone to resume.
    first.kill('SIGKILL');
    await firstDone;
    const list = await ws.run(['executions', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(statusOf(ws, id)).toBe('paused');
    expect(stepRuns(ws, id)).toEqual(frozen);

    letAllEnd();
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
    for (const step of ['one', 'two']) {
      await waitRunning(ws, id, step, 'a');
      await letOneEnd();
    }
    await waitRunning(ws, id, 'one', 'b');
    expect((await ws.run(['pause', String(id)])).code).toBe(0);
    await waitStatus(ws, id, 'paused');
    await letOneEnd();
    await waitFor('the pause to settle', () => stepRuns(ws, id).every((r) => r.status !== 'running'), 20_000);
    expect(stepRuns(ws, id).map((r) => `${r.step_path}@${r.element_id}:${r.status}`)).toEqual(['one@a:succeeded', 'two@a:succeeded', 'one@b:succeeded']);
    expect(statusOf(ws, id)).toBe('paused');
    letAllEnd();
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
    // One question for the whole batch; the elements wait at the step (the in-process suite
    // above shows nothing after it starts before the answer).
    await waitFor('every element at the step', () => stepRuns(ws, id).filter((r) => r.step_path === 'ask' && r.status === 'running').length === 3, 10_000);
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
