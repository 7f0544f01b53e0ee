import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { everySecond, finished, heldFlow, SchedulerFixture, type ScheduledRun } from './support';

/** Each run of the schedule was created only after the previous one had ended. */
function oneAtATime(runs: ScheduledRun[]): void {
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1] as ScheduledRun;
    expect(prev.finishedAt, `run #${prev.id} ended before the next one was created`).not.toBeNull();
    expect((runs[i] as ScheduledRun).queuedAt).toBeGreaterThanOrEqual(prev.finishedAt as number);
  }
}

// Each run's command is held until the test ends it, so "the previous run is still going" lasts
// exactly as long as the test says, across as many seconds of the scheduler's clock as it likes.
describe('overlap policy: a run still going when the next second fires', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('slow', 'slow'));
  });
  afterEach(async () => f.close());

  it('skip (the default): only one run of the schedule at a time, and the skips are reported once per run', async () => {
    const s = await f.schedule({ flow: 'slow', when: { cron: everySecond } });
    expect(s.overlap).toBe('skip');
    f.start();
    await f.advance(1000);
    await f.t.started('slow', 'box');
    const [first] = f.runsOf(s.id) as [ScheduledRun];
    for (let i = 0; i < 3; i++) await f.advance(1000);
    expect(f.runsOf(s.id)).toHaveLength(1);
    expect(f.t.running()).toEqual(['slow@box']);

    f.t.finish('slow', 'box');
    expect(await f.ended(first.id)).toBe('succeeded');
    // Skipped, not queued: nothing starts until the next second fires.
    expect(f.runsOf(s.id)).toHaveLength(1);
    await f.advance(1000);
    await f.t.started('slow', 'box');
    const runs = f.runsOf(s.id);
    expect(runs).toHaveLength(2);
    f.t.finish('slow', 'box');
    await f.ended((runs[1] as ScheduledRun).id);
    oneAtATime(f.runsOf(s.id));
    const skips = f.linesAbout(s.id).filter((l) => l.includes(`execution #${first.id} is still going (overlap: skip)`));
    expect(skips).toHaveLength(1);
  });

  it('queue: the next run starts as soon as the previous ends, and at most one waits', async () => {
    const s = await f.schedule({ flow: 'slow', when: { cron: everySecond }, overlap: 'queue' });
    f.start();
    await f.advance(1000);
    await f.t.started('slow', 'box');
    const [first] = f.runsOf(s.id) as [ScheduledRun];
    // One fire waits; the two after it find a run already waiting.
    for (let i = 0; i < 3; i++) await f.advance(1000);
    expect(f.runsOf(s.id)).toHaveLength(1);

    f.t.finish('slow', 'box');
    await f.ended(first.id);
    // The waiting run starts at once, without the clock moving; just the one.
    await f.t.started('slow', 'box');
    const runs = f.runsOf(s.id);
    expect(runs).toHaveLength(2);
    f.t.finish('slow', 'box');
    await f.ended((runs[1] as ScheduledRun).id);
    expect(f.runsOf(s.id)).toHaveLength(2);
    expect(f.runsOf(s.id).every(finished)).toBe(true);

    oneAtATime(f.runsOf(s.id));
    const lines = f.linesAbout(s.id);
    expect(lines.filter((l) => l.includes(`waits for execution #${first.id} to end (overlap: queue)`))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(`execution #${first.id} is still going (one run already waits)`))).toHaveLength(1);
  });

  it('allow: a new run starts while the previous one is still going', async () => {
    const s = await f.schedule({ flow: 'slow', when: { cron: everySecond }, overlap: 'allow' });
    f.start();
    await f.advance(1000);
    await f.t.started('slow', 'box');
    await f.advance(1000);
    const runs = f.runsOf(s.id);
    expect(runs).toHaveLength(2);
    expect(runs.filter((r) => !finished(r))).toHaveLength(2);
    await f.schedule({ flow: 'slow', when: { cron: everySecond }, overlap: 'allow', enabled: false }, s.id);
    // Both executions run; their steps on the one element still take turns (one lock per element).
    expect(f.t.running()).toEqual(['slow@box']);
    f.t.finish('slow', 'box');
    await f.ended((runs[0] as ScheduledRun).id);
    await f.t.started('slow', 'box');
    f.t.finish('slow', 'box');
    expect(await f.ended((runs[1] as ScheduledRun).id)).toBe('succeeded');
    expect(f.runsOf(s.id)).toHaveLength(2);
    expect(f.linesAbout(s.id).filter((l) => l.includes('overlap'))).toEqual([]);
  });
});
