import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { heldFlow, sorted, useHeldEngine } from '../support/held-engine';

/** `STEP@ELEMENT:status` for every step run, in the order they were recorded. */
const outcome = (rep: ExecutionReport): string[] => rep.runs.map((r) => `${r.step}@${r.element}:${r.status}`);

describe('failure rules, step by step (in-process engine, commands held by the test)', () => {
  const engine = useHeldEngine(4);

  it('serial + stop (the default): the failing element skips its remaining steps, later elements never start', async () => {
    engine.h.flows(heldFlow('s-stop', 'mode: serial'));
    const run = await engine.h.start('s-stop');
    for (const k of ['A@e1', 'B@e1', 'A@e2']) {
      const [s, e] = k.split('@') as [string, string];
      await engine.t.started(s, e);
      if (k === 'A@e2') engine.t.fail(s, e, 3);
      else engine.t.finish(s, e);
    }
    expect(await run.done).toBe('failed');
    expect(engine.t.running()).toEqual([]);
    expect(engine.t.starts()).toEqual(['A@e1', 'B@e1', 'A@e2']);
    const rep = engine.h.report(run.id);
    expect(outcome(rep)).toEqual(['A@e1:succeeded', 'B@e1:succeeded', 'A@e2:failed', 'B@e2:skipped']);
    expect(rep.runs.find((r) => r.step === 'A' && r.element === 'e2')?.exitCode).toBe(3);
    expect(rep.error).toContain('e2');
  });

  it('parallel + stop: steps already running finish, no new step starts', async () => {
    engine.h.flows(heldFlow('p-stop', 'mode: parallel'));
    const run = await engine.h.start('p-stop');
    await engine.t.allStarted(['A@e1', 'A@e2', 'A@e3', 'A@e4']);
    engine.t.fail('A', 'e2');
    // Not failFast: the siblings are not killed, they run on to their end.
    expect(await engine.running()).toEqual(['A@e1', 'A@e3', 'A@e4']);
    for (const e of ['e1', 'e3']) engine.t.finish('A', e);
    expect(await engine.running()).toEqual(['A@e4']);
    engine.t.finish('A', 'e4');
    expect(await run.done).toBe('failed');
    expect(engine.t.starts().filter((k) => k.startsWith('B'))).toEqual([]);
    expect(engine.t.history.filter((e) => e.startsWith('kill'))).toEqual([]);
    const rep = engine.h.report(run.id);
    expect(sorted(outcome(rep))).toEqual(sorted(['A@e1:succeeded', 'A@e2:failed', 'A@e3:succeeded', 'A@e4:succeeded', 'B@e2:skipped']));
  });

  it('parallel + continue: the failed element drops out, the others go on together', async () => {
    engine.h.flows(heldFlow('p-cont', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50'));
    const run = await engine.h.start('p-cont');
    await engine.t.allStarted(['A@e1', 'A@e2', 'A@e3', 'A@e4']);
    engine.t.fail('A', 'e3');
    for (const e of ['e1', 'e2', 'e4']) engine.t.finish('A', e);
    await engine.t.allStarted(['B@e1', 'B@e2', 'B@e4']);
    expect(await engine.running()).toEqual(['B@e1', 'B@e2', 'B@e4']);
    for (const e of ['e1', 'e2', 'e4']) engine.t.finish('B', e);
    expect(await run.done).toBe('failed');
    const rep = engine.h.report(run.id);
    expect(rep.runs.find((r) => r.step === 'B' && r.element === 'e3')?.status).toBe('skipped');
    expect(rep.runs.filter((r) => r.step === 'B' && r.status === 'succeeded').map((r) => r.element).sort()).toEqual(['e1', 'e2', 'e4']);
  });

  it('maxFailPercent: exactly the percentage goes on', async () => {
    engine.h.flows(heldFlow('p-half', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50'));
    const run = await engine.h.start('p-half');
    await engine.t.allStarted(['A@e1', 'A@e2', 'A@e3', 'A@e4']);
    for (const e of ['e1', 'e2']) engine.t.fail('A', e);
    for (const e of ['e3', 'e4']) engine.t.finish('A', e);
    await engine.t.allStarted(['B@e3', 'B@e4']);
    expect(await engine.running()).toEqual(['B@e3', 'B@e4']);
    for (const e of ['e3', 'e4']) engine.t.finish('B', e);
    expect(await run.done).toBe('failed');
    expect(engine.h.report(run.id).runs.filter((r) => r.step === 'B' && r.status === 'succeeded').map((r) => r.element).sort()).toEqual(['e3', 'e4']);
  });

  it('maxFailPercent: strictly more stops at once; the rest of the wave still finishes', async () => {
    engine.h.flows(heldFlow('p-over', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50'));
    const run = await engine.h.start('p-over');
    await engine.t.allStarted(['A@e1', 'A@e2', 'A@e3', 'A@e4']);
    for (const e of ['e1', 'e2']) engine.t.fail('A', e);
    expect(await engine.running()).toEqual(['A@e3', 'A@e4']);
    engine.t.fail('A', 'e3');
    // The third failure is over 50%: nothing new starts, the running step ends normally.
    expect(await engine.running()).toEqual(['A@e4']);
    engine.t.finish('A', 'e4');
    expect(await run.done).toBe('failed');
    expect(engine.t.starts().filter((k) => k.startsWith('B'))).toEqual([]);
    const rep = engine.h.report(run.id);
    expect(rep.runs.filter((r) => r.step === 'B' && r.status !== 'skipped')).toEqual([]);
    expect(rep.error).toMatch(/3 of 4 .*maxFailPercent 50%/);
  });

  it('maxFailPercent counts per batch: 1 of a batch of 2 is over 30%, though 1 of 4 is not', async () => {
    engine.h.flows(heldFlow('p-batch', 'mode: parallel\nbatchSize: 2\nonFailure: continue\nmaxFailPercent: 30'));
    const run = await engine.h.start('p-batch');
    for (const k of ['A@e1', 'A@e2', 'B@e1', 'B@e2']) {
      const [s, e] = k.split('@') as [string, string];
      await engine.t.started(s, e);
      engine.t.finish(s, e);
    }
    await engine.t.allStarted(['A@e3', 'A@e4']);
    engine.t.fail('A', 'e3');
    expect(await engine.running()).toEqual(['A@e4']);
    engine.t.finish('A', 'e4');
    expect(await run.done).toBe('failed');
    expect(engine.t.starts()).toEqual(['A@e1', 'A@e2', 'B@e1', 'B@e2', 'A@e3', 'A@e4']);
    const rep = engine.h.report(run.id);
    expect(rep.runs.filter((r) => r.element === 'e4').map((r) => `${r.step}:${r.status}`)).toEqual(['A:succeeded']);
  });

  it('failFast cancels the running siblings at once, without waiting for them', async () => {
    engine.h.flows(heldFlow('p-ff', 'mode: parallel\nfailFast: true'));
    const run = await engine.h.start('p-ff');
    const held = await engine.t.allStarted(['A@e1', 'A@e2', 'A@e3', 'A@e4']);
    engine.t.fail('A', 'e1', 4);
    // Nobody ends e2..e4: the engine kills them itself.
    expect(await run.done).toBe('failed');
    expect(engine.t.running()).toEqual([]);
    expect(sorted(engine.t.history.filter((e) => e.startsWith('kill')))).toEqual(['kill A@e2', 'kill A@e3', 'kill A@e4']);
    expect(held.slice(1).every((c) => c.signal.aborted)).toBe(true);
    const rep = engine.h.report(run.id);
    expect(sorted(outcome(rep))).toEqual(sorted(['A@e1:failed', 'A@e2:cancelled', 'A@e3:cancelled', 'A@e4:cancelled', 'B@e1:skipped']));
    expect(rep.runs.filter((r) => r.status === 'cancelled').every((r) => /failFast/.test(r.error ?? ''))).toBe(true);
  });

  it('continueOnError: the failure does not count, the element goes on', async () => {
    engine.h.flows(`id: coe\nname: coe\ntargets: { elements: [e1] }\nsteps:\n  - { id: A, run: A, continueOnError: true }\n  - { id: B, run: B }\n`);
    const run = await engine.h.start('coe');
    await engine.t.started('A', 'e1');
    engine.t.fail('A', 'e1', 2);
    await engine.t.started('B', 'e1');
    engine.t.finish('B', 'e1');
    expect(await run.done).toBe('succeeded');
    expect(outcome(engine.h.report(run.id))).toEqual(['A@e1:failed', 'B@e1:succeeded']);
  });

  it('retries: each attempt is its own run, the next starts only after the last failed', async () => {
    engine.h.flows(`id: retry\nname: retry\ntargets: { elements: [e1] }\nsteps:\n  - { id: A, run: A, retries: { count: 4 } }\n`);
    const run = await engine.h.start('retry');
    for (const ending of [{ exitCode: 1, stdout: 'attempt 1\n' }, { exitCode: 1, stdout: 'attempt 2\n' }, { exitCode: 0, stdout: 'attempt 3\n' }]) {
      await engine.t.started('A', 'e1');
      expect(await engine.running()).toEqual(['A@e1']);
      engine.t.finish('A', 'e1', ending);
    }
    expect(await run.done).toBe('succeeded');
    expect(engine.h.report(run.id).runs.map((r) => [r.attempt, r.status, r.exitCode])).toEqual([
      [1, 'failed', 1],
      [2, 'failed', 1],
      [3, 'succeeded', 0],
    ]);
  });
});
