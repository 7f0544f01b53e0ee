import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlledTransport } from '../support/controlled-transport';
import { driveWaves, sortedWaves, startsByWave } from '../support/drive-waves';
import { EngineHarness, heldFleet } from '../support/engine';
import { modeFlows, modeTable, named } from '../support/mode-flows';
import { buildPlan } from '../../src-main/engine/plan';
import { prepareRun } from '../../src-main/engine/executor';

describe('the parent/child mode table, step by step (in-process engine, commands held by the test)', () => {
  let h: EngineHarness;
  let t: ControlledTransport;
  beforeEach(async () => {
    t = new ControlledTransport();
    h = await new EngineHarness().open({ ssh: t });
    h.inventory(heldFleet(2)).flows(...Object.values(modeFlows(named)));
  });
  afterEach(() => h.shutdown());

  for (const { flow, row, waves } of modeTable) {
    it(row, async () => {
      const run = await h.start(flow);
      await driveWaves(t, () => h.idle(), waves);
      expect(await run.done).toBe('succeeded');
      expect(startsByWave(t, waves)).toEqual(sortedWaves(waves));
      expect(t.history.filter((e) => e.startsWith('kill'))).toEqual([]);
      const rep = h.report(run.id);
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
      const plan = await buildPlan(h.rt.deps.sandbox, await prepareRun(h.rt.deps, { flow }));
      expect(plan.waves.map((w) => w.map((r) => `${r.step}@${r.element}`)), flow).toEqual(waves);
    }
    expect(t.history).toEqual([]);
  });
});
