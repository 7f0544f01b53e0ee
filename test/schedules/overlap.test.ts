import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cli';
import { commandFlow, everySecond, finished, SchedulerFixture, type ScheduledRun } from './support';

/** Each run of the schedule was created only after the previous one had ended. */
function oneAtATime(runs: ScheduledRun[]): void {
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1] as ScheduledRun;
    expect(prev.finishedAt, `run #${prev.id} ended before the next one was created`).not.toBeNull();
    expect((runs[i] as ScheduledRun).queuedAt).toBeGreaterThanOrEqual(prev.finishedAt as number);
  }
}

describe('overlap policy: a run of 2-3 s on a 1-second schedule', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(commandFlow('slow', 'sleep 3'));
    await f.flow(commandFlow('slow2', 'sleep 2'));
  });
  afterEach(async () => f.close());

  it('skip (the default): only one run of the schedule at a time, and the skips are reported once per run', async () => {
    const s = await f.schedule({ flow: 'slow', when: { cron: everySecond } });
    expect(s.overlap).toBe('skip');
    f.start();
    await waitFor('a second run after the first ended', () => f.runsOf(s.id).length >= 2, 30_000);
    await f.schedule({ flow: 'slow', when: { cron: everySecond }, enabled: false }, s.id);
    const runs = f.runsOf(s.id);
    await waitFor('the runs to end', () => f.runsOf(s.id).every(finished), 30_000);
    oneAtATime(f.runsOf(s.id));
    const first = runs[0] as ScheduledRun;
    const skips = f.linesAbout(s.id).filter((l) => l.includes(`execution #${first.id} is still going (overlap: skip)`));
    expect(skips).toHaveLength(1);
  });

  it('queue: the next run starts when the previous ends, and at most one waits', async () => {
    const s = await f.schedule({ flow: 'slow2', when: { cron: everySecond }, overlap: 'queue' });
    f.start();
    await waitFor('three runs', () => f.runsOf(s.id).length >= 3, 40_000);
    await f.schedule({ flow: 'slow2', when: { cron: everySecond }, overlap: 'queue', enabled: false }, s.id);
    await waitFor('the runs to end', () => f.runsOf(s.id).every(finished), 30_000);
    const runs = f.runsOf(s.id);
    oneAtATime(runs);
    const first = runs[0] as ScheduledRun;
    const lines = f.linesAbout(s.id);
    expect(lines.filter((l) => l.includes(`waits for execution #${first.id} to end (overlap: queue)`))).toHaveLength(1);
    expect(lines.some((l) => l.includes(`execution #${first.id} is still going (one run already waits)`))).toBe(true);
  });

  it('allow: a new run starts while the previous one is still going', async () => {
    const s = await f.schedule({ flow: 'slow', when: { cron: everySecond }, overlap: 'allow' });
    f.start();
    await waitFor('two unfinished runs of the schedule at once', () => f.runsOf(s.id).filter((r) => !finished(r)).length >= 2, 30_000);
    await f.schedule({ flow: 'slow', when: { cron: everySecond }, overlap: 'allow', enabled: false }, s.id);
    expect(f.linesAbout(s.id).filter((l) => l.includes('overlap'))).toEqual([]);
  });
});
