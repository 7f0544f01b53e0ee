import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor, Workspace } from '../support/cli';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { commandFlow, everySecond, finished, SchedulerFixture, sleep } from './support';

describe('the scheduler fires schedules (real engine, local transport, real timers)', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(commandFlow('tick', 'true'));
  });
  afterEach(async () => f.close());

  it('a per-second schedule fires with trigger "schedule" and its id; a disabled one never does', async () => {
    const on = await f.schedule({ flow: 'tick', when: { cron: everySecond } });
    const off = await f.schedule({ flow: 'tick', when: { cron: everySecond }, enabled: false });
    expect(off.nextRuns).toEqual([]);
    f.start();
    const runs = await waitFor('two scheduled runs', () => {
      const r = f.runsOf(on.id);
      return r.length >= 2 && r;
    });
    expect(runs.every((r) => r.trigger === 'schedule' && r.scheduleId === on.id && r.flow === 'tick')).toBe(true);
    await waitFor('the first run to succeed', () => f.runsOf(on.id)[0]?.status === 'succeeded');
    expect(f.runsOf(off.id)).toEqual([]);
    const [listed] = (await f.h.value('schedules/list', { flow: 'tick' })).filter((s) => s.id === on.id);
    expect(listed?.lastFiredAt).toBeGreaterThan(0);
  });

  it('an edit through the console applies at once: disabling stops it, a new cron starts one', async () => {
    f.start();
    const input = { flow: 'tick', when: { cron: everySecond } };
    const s = await f.schedule(input);
    await waitFor('a run', () => f.runsOf(s.id).length >= 1);
    await f.schedule({ ...input, enabled: false }, s.id);
    const cutoff = Date.now();
    const yearly = await f.schedule({ flow: 'tick', when: { cron: '0 0 1 1 *' } });
    await sleep(2500);
    expect(f.runsOf(s.id).filter((r) => r.queuedAt > cutoff)).toEqual([]);
    expect(f.runsOf(yearly.id)).toEqual([]);
    await f.schedule({ flow: 'tick', when: { cron: everySecond } }, yearly.id);
    await waitFor('a run after the cron changed', () => f.runsOf(yearly.id).length >= 1);
  });

  it('an edit from another process (the CLI) applies without a restart', async () => {
    const ws = new Workspace();
    try {
      f.start();
      const env = { FLOWDECK_DB: f.h.dbPath };
      const added = await ws.run(['schedule', 'add', 'tick', '--cron', everySecond, '--json'], env);
      expect(added.code, added.stderr).toBe(0);
      const s = JSON.parse(added.stdout) as ScheduleView;
      await waitFor('a run of the schedule the CLI added', () => f.runsOf(s.id).length >= 1);

      const disabled = await ws.run(['schedule', 'disable', String(s.id)], env);
      expect(disabled.code, disabled.stderr).toBe(0);
      // Stopped once no run has been queued for two seconds, and it stays stopped.
      await waitFor('the schedule to stop firing', () => {
        const last = f.runsOf(s.id).at(-1);
        return last !== undefined && Date.now() - last.queuedAt > 2000;
      });
      const count = f.runsOf(s.id).length;
      await sleep(2000);
      expect(f.runsOf(s.id)).toHaveLength(count);

      const enabled = await ws.run(['schedule', 'enable', String(s.id)], env);
      expect(enabled.code, enabled.stderr).toBe(0);
      await waitFor('runs again after enable', () => f.runsOf(s.id).length > count);
      await waitFor('runs to end', () => f.runsOf(s.id).some(finished));
    } finally {
      ws.dispose();
    }
  });
});
