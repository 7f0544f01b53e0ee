import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cli';
import { commandFlow, finished, SchedulerFixture } from './support';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('missed runs at scheduler start (the app was closed)', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(commandFlow('nightly', 'true'));
  });
  afterEach(async () => f.close());

  it('run-once makes up the last missed run once, within its window; skip and an expired window do not', async () => {
    // A daily time two minutes ago (UTC): missed while "closed"; its next time is a day away.
    const slot = Math.floor((Date.now() - 2 * MINUTE) / MINUTE) * MINUTE;
    const d = new Date(slot);
    const cron = `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
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
    await waitFor('the made-up run to end', () => f.runsOf(once.id).every(finished));

    // Closed and opened again: that run was made up already, so nothing more.
    f.stop();
    f.start();
    await f.settled();
    expect(f.runsOf(once.id)).toHaveLength(1);
    expect(f.runsOf(skip.id)).toEqual([]);
  });

  it('a schedule that never fired counts from its creation', async () => {
    const slot = Math.floor((Date.now() - 2 * MINUTE) / MINUTE) * MINUTE;
    const d = new Date(slot);
    const s = await f.schedule({ flow: 'nightly', when: { cron: `${d.getUTCMinutes()} ${d.getUTCHours()} * * *` }, missed: 'run-once' });
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
