import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { everySecond, heldFlow, SchedulerFixture } from './support';

describe('a fire that cannot start never stops the scheduler', () => {
  let f: SchedulerFixture;
  beforeEach(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('tick', 'true'));
  });
  afterEach(async () => f.close());

  it('a run whose flow now needs a parameter is reported on each fire, and the schedule goes on', async () => {
    await f.flow(heldFlow('needs', 'true'));
    const s = await f.schedule({ flow: 'needs', when: { cron: everySecond } });
    // The flow changes after the schedule was saved: its fires cannot start any more.
    await f.flow(heldFlow('needs', 'true', 'params: [{ name: ticket, required: true }]\n'));
    f.start();
    await f.advance(1000);
    await f.advance(1000);
    const failures = f.linesAbout(s.id);
    expect(failures).toHaveLength(2);
    for (const line of failures) expect(line).toMatch(/^flowdeck: schedule \d+ \(flow needs\): could not start the run at .*: flow "needs" needs parameter "ticket"/);
    expect(f.runsOf(s.id)).toEqual([]);
    await f.flow(heldFlow('needs', 'true'));
    await f.advance(1000);
    expect(f.runsOf(s.id)).toHaveLength(1);
    expect(f.linesAbout(s.id)).toHaveLength(2);
  });

  it('a schedule whose flow vanished is skipped with a clear line; other schedules keep firing', async () => {
    await f.flow(heldFlow('gone', 'true'));
    const orphan = await f.schedule({ flow: 'gone', when: { cron: everySecond } });
    const other = await f.schedule({ flow: 'tick', when: { cron: everySecond } });
    // Another program removes the flow without the cascade (foreign keys off): the row stays.
    const raw = new Database(f.h.dbPath);
    raw.pragma('foreign_keys = OFF');
    raw.prepare('DELETE FROM flows WHERE id = ?').run('gone');
    raw.close();
    f.start();
    await f.advance(1000);
    // The other schedule's first run ends before its next second (its overlap policy is skip).
    expect(await f.ended(f.runsOf(other.id)[0]?.id as number)).toBe('succeeded');
    await f.advance(1000);
    expect(f.linesAbout(orphan.id).filter((l) => l.includes('unknown flow "gone"'))).toHaveLength(2);
    expect(f.runsOf(other.id)).toHaveLength(2);
    expect(f.runsOf(orphan.id)).toEqual([]);
  });

  it('deleting a flow deletes its schedules, and the scheduler drops them', async () => {
    await f.flow(heldFlow('short-lived', 'true'));
    const s = await f.schedule({ flow: 'short-lived', when: { cron: '0 3 * * *' } });
    f.start();
    f.h.rt.db.prepare('DELETE FROM flows WHERE id = ?').run('short-lived');
    expect((await f.h.value('schedules/list', {})).map((x) => x.id)).not.toContain(s.id);
    f.scheduler?.reload();
    expect(f.lines).toEqual([]);
  });
});
