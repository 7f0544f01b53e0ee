import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heldFlow, SchedulerFixture } from './support';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** A daily cron (UTC) at the minute `t` falls in. */
function dailyAt(t: number): string {
  const d = new Date(t);
  return `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

describe('missed runs at scheduler start (the app was closed)', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('nightly', 'true'));
  });
  afterEach(async () => f.close());

  it('run-once makes up the last missed run once, within its window; skip and an expired window do not', async () => {
    // A daily time two minutes ago: missed while "closed"; its next time is a day away.
    const slot = Math.floor((f.clock.now() - 2 * MINUTE) / MINUTE) * MINUTE;
    const cron = dailyAt(slot);
    const once = await f.schedule({ flow: 'nightly', when: { cron }, missed: 'run-once', missedWindowSeconds: 3600 });
    const skip = await f.schedule({ flow: 'nightly', when: { cron }, missed: 'skip' });
    const late = await f.schedule({ flow: 'nightly', when: { cron }, missed: 'run-once', missedWindowSeconds: 60 });
    // Each last ran at yesterday's time, before the closed period.
    f.h.rt.db.prepare('UPDATE schedules SET last_fired_at = ?').run(slot - DAY);

    f.start();
    // The missed-run policy is applied while the scheduler starts; the runs it fires start at once.
    await f.settled();
    expect(f.runsOf(once.id)).toHaveLength(1);
    expect(f.runsOf(once.id)[0]?.trigger).toBe('schedule');
    expect(f.runsOf(skip.id)).toEqual([]);
    expect(f.runsOf(late.id)).toEqual([]);
    expect(f.linesAbout(once.id).join('\n')).toMatch(/making up the run missed at .* \(missed: run-once\)/);
    expect(f.linesAbout(skip.id).join('\n')).toMatch(/not made up \(missed: skip\)/);
    expect(f.linesAbout(late.id).join('\n')).toMatch(/older than the 60 s window, not made up/);
    const [row] = (await f.h.value('schedules/list', {})).filter((s) => s.id === once.id);
    expect(row?.lastFiredAt).toBe(slot);
    expect(await f.ended(f.runsOf(once.id)[0]?.id as number)).toBe('succeeded');

    // Closed and opened again: that run was made up already, so nothing more.
    f.stop();
    f.start();
    await f.settled();
    expect(f.runsOf(once.id)).toHaveLength(1);
    expect(f.runsOf(skip.id)).toEqual([]);
  });

  it('a schedule that never fired counts from its creation', async () => {
    const slot = Math.floor((f.clock.now() - 2 * MINUTE) / MINUTE) * MINUTE;
    const s = await f.schedule({ flow: 'nightly', when: { cron: dailyAt(slot) }, missed: 'run-once' });
    f.start();
    await f.settled();
    // Created after its last time: nothing was missed.
    expect(f.runsOf(s.id)).toEqual([]);
    f.stop();
    f.h.rt.db.prepare('UPDATE schedules SET created_at = ?').run(slot - 10 * MINUTE);
    f.start();
    await f.settled();
    expect(f.runsOf(s.id)).toHaveLength(1);
  });
});

describe('missed runs while the scheduler runs (the machine slept through the time)', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('nightly', 'true'));
  });
  afterEach(async () => f.close());

  it('a timer that fires late by more than half a minute is a missed run: made up within the run-once window, else reported', async () => {
    // The daily time is the next whole minute, at least a minute away.
    const slot = Math.ceil((f.clock.now() + MINUTE) / MINUTE) * MINUTE;
    const once = await f.schedule({ flow: 'nightly', when: { cron: dailyAt(slot) }, missed: 'run-once', missedWindowSeconds: 3600 });
    const skip = await f.schedule({ flow: 'nightly', when: { cron: dailyAt(slot) }, missed: 'skip' });
    f.start();
    await f.settled();
    // Suspended until 50 s after the time: the timers wake then, late.
    await f.clock.jump(slot + 50 * SECOND - f.clock.now());
    await f.settled();
    expect(f.runsOf(once.id)).toHaveLength(1);
    expect(f.linesAbout(once.id)).toEqual([expect.stringMatching(/making up the run missed at .* \(missed: run-once\)$/)]);
    expect(f.runsOf(skip.id)).toEqual([]);
    expect(f.linesAbout(skip.id)).toEqual([expect.stringMatching(/missed its run at .*: woke 50 s late \(the machine slept\?\); not made up \(missed: skip\)$/)]);
    expect(await f.ended(f.runsOf(once.id)[0]?.id as number)).toBe('succeeded');
  });

  it('a timer late by less than that is only late: the run starts, nothing is reported', async () => {
    const slot = Math.ceil((f.clock.now() + MINUTE) / MINUTE) * MINUTE;
    const s = await f.schedule({ flow: 'nightly', when: { cron: dailyAt(slot) }, missed: 'skip' });
    f.start();
    await f.clock.jump(slot + 20 * SECOND - f.clock.now());
    await f.settled();
    expect(f.runsOf(s.id)).toHaveLength(1);
    expect(f.lines).toEqual([]);
    const [row] = (await f.h.value('schedules/list', {})).filter((x) => x.id === s.id);
    expect(row?.lastFiredAt).toBe(slot);
  });
});
