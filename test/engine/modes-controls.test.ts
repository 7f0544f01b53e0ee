import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlledTransport } from '../support/controlled-transport';
import { driveWaves } from '../support/drive-waves';
import { EngineHarness, heldFleet } from '../support/engine';

/** A flow over the fleet whose steps are held commands named like the steps. */
function flow(id: string, controls: string, steps = ['A', 'B']): string {
  return `id: ${id}\nname: ${id}\ntargets: { groups: [fleet] }\n${controls}\nsteps:\n${steps.map((s) => `  - { id: ${s}, run: ${s} }`).join('\n')}\n`;
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('batches and concurrency, step by step (in-process engine, commands held by the test)', () => {
  let h: EngineHarness;
  let t: ControlledTransport;
  beforeEach(async () => {
    t = new ControlledTransport();
    h = await new EngineHarness().open({ ssh: t });
    h.inventory(heldFleet(4));
  });
  afterEach(() => h.shutdown());

  const running = async (): Promise<string[]> => {
    await h.idle();
    return sorted(t.running());
  };

  it('parallel, batchSize 2: each batch goes step by step, the next batch starts once the first has ended', async () => {
    h.flows(flow('pb', 'mode: parallel\nbatchSize: 2'));
    const run = await h.start('pb');
    await driveWaves(t, () => h.idle(), [
      ['A@e1', 'A@e2'],
      ['B@e1', 'B@e2'],
      ['A@e3', 'A@e4'],
      ['B@e3', 'B@e4'],
    ]);
    expect(await run.done).toBe('succeeded');
  });

  it('serial, batchSize 2: the batch runs side by side, each element through all its steps without waiting for the other', async () => {
    h.flows(flow('sb', 'mode: serial\nbatchSize: 2'));
    const run = await h.start('sb');
    await t.allStarted(['A@e1', 'A@e2']);
    expect(await running()).toEqual(['A@e1', 'A@e2']);
    // e1 goes on to B while e2 is still at A: no wave across the batch in serial mode.
    t.finish('A', 'e1');
    await t.started('B', 'e1');
    expect(await running()).toEqual(['A@e2', 'B@e1']);
    t.finish('B', 'e1');
    // e1 is through; the next batch waits for e2 as well.
    expect(await running()).toEqual(['A@e2']);
    t.finish('A', 'e2');
    await t.started('B', 'e2');
    expect(await running()).toEqual(['B@e2']);
    t.finish('B', 'e2');
    await t.allStarted(['A@e3', 'A@e4']);
    expect(await running()).toEqual(['A@e3', 'A@e4']);
    for (const k of ['A@e4', 'B@e4', 'A@e3', 'B@e3']) {
      const [s, e] = k.split('@') as [string, string];
      await t.started(s, e);
      t.finish(s, e);
    }
    expect(await run.done).toBe('succeeded');
    expect(t.starts()).toEqual(['A@e1', 'A@e2', 'B@e1', 'B@e2', 'A@e3', 'A@e4', 'B@e4', 'B@e3']);
  });

  it('parallel, concurrency 2: never more than two elements at once; a freed place goes to the next element at once', async () => {
    h.flows(flow('pc', 'mode: parallel\nconcurrency: 2'));
    const run = await h.start('pc');
    await t.allStarted(['A@e1', 'A@e2']);
    expect(await running()).toEqual(['A@e1', 'A@e2']);
    t.finish('A', 'e2');
    await t.started('A', 'e3');
    expect(await running()).toEqual(['A@e1', 'A@e3']);
    t.finish('A', 'e1');
    await t.started('A', 'e4');
    expect(await running()).toEqual(['A@e3', 'A@e4']);
    t.finish('A', 'e3');
    // The step is a wave: B waits for the last A even though a place is free.
    expect(await running()).toEqual(['A@e4']);
    t.finish('A', 'e4');
    await t.allStarted(['B@e1', 'B@e2']);
    expect(await running()).toEqual(['B@e1', 'B@e2']);
    t.finish('B', 'e1');
    await t.started('B', 'e3');
    expect(await running()).toEqual(['B@e2', 'B@e3']);
    for (const e of ['e2', 'e3']) t.finish('B', e);
    await t.started('B', 'e4');
    expect(await running()).toEqual(['B@e4']);
    t.finish('B', 'e4');
    expect(await run.done).toBe('succeeded');
    expect(t.starts()).toEqual(['A@e1', 'A@e2', 'A@e3', 'A@e4', 'B@e1', 'B@e2', 'B@e3', 'B@e4']);
  });

  it('parallel, concurrency 1: one element at a time, in order', async () => {
    h.flows(flow('p1', 'mode: parallel\nconcurrency: 1', ['A']));
    const run = await h.start('p1');
    for (const e of ['e1', 'e2', 'e3', 'e4']) {
      await t.started('A', e);
      expect(await running()).toEqual([`A@${e}`]);
      t.finish('A', e);
    }
    expect(await run.done).toBe('succeeded');
    expect(t.history).toEqual(['e1', 'e2', 'e3', 'e4'].flatMap((e) => [`start A@${e}`, `end A@${e}`]));
  });

  it('serial, batchSize 4, concurrency 2: two elements side by side; the third starts when one is through all its steps', async () => {
    h.flows(flow('sc', 'mode: serial\nbatchSize: 4\nconcurrency: 2'));
    const run = await h.start('sc');
    await t.allStarted(['A@e1', 'A@e2']);
    t.finish('A', 'e1');
    await t.started('B', 'e1');
    // e1 still holds its place while at B.
    expect(await running()).toEqual(['A@e2', 'B@e1']);
    t.finish('B', 'e1');
    await t.started('A', 'e3');
    expect(await running()).toEqual(['A@e2', 'A@e3']);
    for (const k of ['A@e2', 'B@e2', 'A@e4', 'A@e3', 'B@e3', 'B@e4']) {
      const [s, e] = k.split('@') as [string, string];
      await t.started(s, e);
      t.finish(s, e);
    }
    expect(await run.done).toBe('succeeded');
  });
});
