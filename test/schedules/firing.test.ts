import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../support/cli';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { everySecond, heldFlow, SchedulerFixture } from './support';

describe('the scheduler fires schedules (real engine and database, a clock the test moves)', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('tick', 'true'));
  });
  afterEach(async () => f.close());

  it('a per-second schedule fires once a second with trigger "schedule" and its id; a disabled one never does', async () => {
    const on = await f.schedule({ flow: 'tick', when: { cron: everySecond } });
    const off = await f.schedule({ flow: 'tick', when: { cron: everySecond }, enabled: false });
    expect(off.nextRuns).toEqual([]);
    f.start();
    await f.settled();
    // Nothing fires before its time, however long the test takes.
    expect(f.runsOf(on.id)).toEqual([]);
    await f.advance(999);
    expect(f.runsOf(on.id)).toEqual([]);
    await f.advance(1);
    const [first] = f.runsOf(on.id);
    expect(first).toMatchObject({ trigger: 'schedule', scheduleId: on.id, flow: 'tick' });
    expect(await f.ended(first?.id as number)).toBe('succeeded');
    await f.advance(1000);
    const runs = f.runsOf(on.id);
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.trigger === 'schedule' && r.scheduleId === on.id && r.flow === 'tick')).toBe(true);
    expect(f.runsOf(off.id)).toEqual([]);
    const [listed] = (await f.h.value('schedules/list', { flow: 'tick' })).filter((s) => s.id === on.id);
    // The slot it fired for, on the scheduler's clock.
    expect(listed?.lastFiredAt).toBe(f.clock.now());
    expect(f.lines).toEqual([]);
  });

  it('an edit through the console applies at once: disabling stops it, a new cron starts one', async () => {
    f.start();
    const input = { flow: 'tick', when: { cron: everySecond } };
    const s = await f.schedule(input);
    await f.advance(1000);
    expect(f.runsOf(s.id)).toHaveLength(1);
    await f.ended(f.runsOf(s.id)[0]?.id as number);
    await f.schedule({ ...input, enabled: false }, s.id);
    const yearly = await f.schedule({ flow: 'tick', when: { cron: '0 0 1 1 *' } });
    for (let i = 0; i < 3; i++) await f.advance(1000);
    expect(f.runsOf(s.id)).toHaveLength(1);
    expect(f.runsOf(yearly.id)).toEqual([]);
    await f.schedule({ flow: 'tick', when: { cron: everySecond } }, yearly.id);
    await f.advance(1000);
    expect(f.runsOf(yearly.id)).toHaveLength(1);
    expect(f.runsOf(s.id)).toHaveLength(1);
  });

  it('an edit from another process (the CLI) applies at the next poll, without a restart', async () => {
    const ws = new Workspace();
    try {
      f.start(1000);
      const env = { FLOWDECK_DB: f.h.dbPath };
      const added = await ws.run(['schedule', 'add', 'tick', '--cron', everySecond, '--json'], env);
      expect(added.code, added.stderr).toBe(0);
      const s = JSON.parse(added.stdout) as ScheduleView;
      // The next poll reads the new schedule; its first time is the second after that.
      await f.advance(1000);
      expect(f.runsOf(s.id)).toEqual([]);
      await f.advance(1000);
      expect(f.runsOf(s.id)).toHaveLength(1);
      await f.ended(f.runsOf(s.id)[0]?.id as number);

      const disabled = await ws.run(['schedule', 'disable', String(s.id)], env);
      expect(disabled.code, disabled.stderr).toBe(0);
      for (let i = 0; i < 3; i++) await f.advance(1000);
      expect(f.runsOf(s.id)).toHaveLength(1);

      const enabled = await ws.run(['schedule', 'enable', String(s.id)], env);
      expect(enabled.code, enabled.stderr).toBe(0);
      await f.advance(1000);
      await f.advance(1000);
      const runs = f.runsOf(s.id);
      expect(runs).toHaveLength(2);
      expect(await f.ended(runs[1]?.id as number)).toBe('succeeded');
    } finally {
      ws.dispose();
    }
  });
});
