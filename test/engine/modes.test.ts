import { describe, expect, it } from 'vitest';
import { driveWaves, sortedWaves, startsByWave } from '../support/drive-waves';
import { useHeldEngine } from '../support/held-engine';
import { modeFlows, modeTable, named } from '../support/mode-flows';
import { buildPlan } from '../../src-main/engine/plan';
import { prepareRun } from '../../src-main/engine/executor';

describe('the parent/child mode table, step by step (in-process engine, commands held by the test)', () => {
  const engine = useHeldEngine(2, ...Object.values(modeFlows(named)));

  for (const { flow, row, waves } of modeTable) {
    it(row, async () => {
      const run = await engine.h.start(flow);
      await driveWaves(engine.t, () => engine.h.idle(), waves);
      expect(await run.done).toBe('succeeded');
      expect(startsByWave(engine.t, waves)).toEqual(sortedWaves(waves));
      expect(engine.t.history.filter((e) => e.startsWith('kill'))).toEqual([]);
      const rep = engine.h.report(run.id);
      expect(rep.status).toBe('succeeded');
      // The flow step itself is one run per parent element, ended once its child run ended.
      const calls = rep.runs.filter((r) => r.kind === 'flow');
      expect(calls.map((r) => `${r.step}@${r.element}:${r.status}`).sort()).toEqual(['F2@e1:succeeded', 'F2@e2:succeeded']);
      for (const c of calls) {
        const own = rep.runs.filter((r) => r.element === c.element && r.step.startsWith('F2/'));
        expect(own).toHaveLength(3);
        for (const r of own) {
          expect(r.startedAt as number).toBeGreaterThanOrEqual(c.startedAt as number);
          expect(r.finishedAt as number).toBeLessThanOrEqual(c.finishedAt as number);
        }
      }
    });
  }

  it('the dry run plans the same waves for every row, and starts nothing', async () => {
    for (const { flow, waves } of modeTable) {
      const plan = await buildPlan(engine.h.rt.deps.sandbox, await prepareRun(engine.h.rt.deps, { flow }));
      expect(plan.waves.map((w) => w.map((r) => `${r.step}@${r.element}`)), flow).toEqual(waves);
    }
    expect(engine.t.history).toEqual([]);
  });
});
