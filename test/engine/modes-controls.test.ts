import { describe, expect, it } from 'vitest';
import { driveWaves } from '../support/drive-waves';
import { heldFlow, useHeldEngine } from '../support/held-engine';

describe('batches and concurrency, step by step (in-process engine, commands held by the test)', () => {
  const engine = useHeldEngine(4);

  it('parallel, batchSize 2: each batch goes step by step, the next batch starts once the first has ended', async () => {
    engine.h.flows(heldFlow('pb', 'mode: parallel\nbatchSize: 2'));
    const run = await engine.h.start('pb');
    await driveWaves(engine.t, () => engine.h.idle(), [
      ['A@e1', 'A@e2'],
      ['B@e1', 'B@e2'],
      ['A@e3', 'A@e4'],
      ['B@e3', 'B@e4'],
    ]);
    expect(await run.done).toBe('succeeded');
  });

  it('serial, batchSize 2: the batch runs side by side, each element through all its steps without waiting for the other', async () => {
    engine.h.flows(heldFlow('sb', 'mode: serial\nbatchSize: 2'));
    const run = await engine.h.start('sb');
    await engine.t.allStarted(['A@e1', 'A@e2']);
    expect(await engine.running()).toEqual(['A@e1', 'A@e2']);
    // e1 goes on to B while e2 is still at A: no wave across the batch in serial mode.
    engine.t.finish('A', 'e1');
    await engine.t.started('B', 'e1');
    expect(await engine.running()).toEqual(['A@e2', 'B@e1']);
    engine.t.finish('B', 'e1');
    // e1 is through; the next batch waits for e2 as well.
    expect(await engine.running()).toEqual(['A@e2']);
    engine.t.finish('A', 'e2');
    await engine.t.started('B', 'e2');
    expect(await engine.running()).toEqual(['B@e2']);
    engine.t.finish('B', 'e2');
    await engine.t.allStarted(['A@e3', 'A@e4']);
    expect(await engine.running()).toEqual(['A@e3', 'A@e4']);
    for (const k of ['A@e4', 'B@e4', 'A@e3', 'B@e3']) {
      const [s, e] = k.split('@') as [string, string];
      await engine.t.started(s, e);
      engine.t.finish(s, e);
    }
    expect(await run.done).toBe('succeeded');
    expect(engine.t.starts()).toEqual(['A@e1', 'A@e2', 'B@e1', 'B@e2', 'A@e3', 'A@e4', 'B@e4', 'B@e3']);
  });

  it('parallel, concurrency 2: never more than two elements at once; a freed place goes to the next element at once', async () => {
    engine.h.flows(heldFlow('pc', 'mode: parallel\nconcurrency: 2'));
    const run = await engine.h.start('pc');
    await engine.t.allStarted(['A@e1', 'A@e2']);
    expect(await engine.running()).toEqual(['A@e1', 'A@e2']);
    engine.t.finish('A', 'e2');
    await engine.t.started('A', 'e3');
    expect(await engine.running()).toEqual(['A@e1', 'A@e3']);
    engine.t.finish('A', 'e1');
    await engine.t.started('A', 'e4');
    expect(await engine.running()).toEqual(['A@e3', 'A@e4']);
    engine.t.finish('A', 'e3');
    // The step is a wave: B waits for the last A even though a place is free.
    expect(await engine.running()).toEqual(['A@e4']);
    engine.t.finish('A', 'e4');
    await engine.t.allStarted(['B@e1', 'B@e2']);
    expect(await engine.running()).toEqual(['B@e1', 'B@e2']);
    engine.t.finish('B', 'e1');
    await engine.t.started('B', 'e3');
    expect(await engine.running()).toEqual(['B@e2', 'B@e3']);
    for (const e of ['e2', 'e3']) engine.t.finish('B', e);
    await engine.t.started('B', 'e4');
    expect(await engine.running()).toEqual(['B@e4']);
    engine.t.finish('B', 'e4');
    expect(await run.done).toBe('succeeded');
    expect(engine.t.starts()).toEqual(['A@e1', 'A@e2', 'A@e3', 'A@e4', 'B@e1', 'B@e2', 'B@e3', 'B@e4']);
  });

  it('parallel, concurrency 1: one element at a time, in order', async () => {
    engine.h.flows(heldFlow('p1', 'mode: parallel\nconcurrency: 1', ['A']));
    const run = await engine.h.start('p1');
    for (const e of ['e1', 'e2', 'e3', 'e4']) {
      await engine.t.started('A', e);
      expect(await engine.running()).toEqual([`A@${e}`]);
      engine.t.finish('A', e);
    }
    expect(await run.done).toBe('succeeded');
    expect(engine.t.history).toEqual(['e1', 'e2', 'e3', 'e4'].flatMap((e) => [`start A@${e}`, `end A@${e}`]));
  });

  it('serial, batchSize 4, concurrency 2: two elements side by side; the third starts when one is through all its steps', async () => {
    engine.h.flows(heldFlow('sc', 'mode: serial\nbatchSize: 4\nconcurrency: 2'));
    const run = await engine.h.start('sc');
    await engine.t.allStarted(['A@e1', 'A@e2']);
    engine.t.finish('A', 'e1');
    await engine.t.started('B', 'e1');
    // e1 still holds its place while at B.
    expect(await engine.running()).toEqual(['A@e2', 'B@e1']);
    engine.t.finish('B', 'e1');
    await engine.t.started('A', 'e3');
    expect(await engine.running()).toEqual(['A@e2', 'A@e3']);
    for (const k of ['A@e2', 'B@e2', 'A@e4', 'A@e3', 'B@e3', 'B@e4']) {
      const [s, e] = k.split('@') as [string, string];
      await engine.t.started(s, e);
      engine.t.finish(s, e);
    }
    expect(await run.done).toBe('succeeded');
  });
});
