import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { Workspace } from '../support/cli';
import { commandFlow } from './support';

describe('flowdeck schedule (the CLI as a process)', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    for (const id of ['backup', 'report', 'doomed']) {
      const r = await ws.run(['flow', 'import', ws.file(`${id}.yaml`, commandFlow(id, 'true', 'params: [{ name: level, default: quick }]\n'))]);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => ws.dispose());

  const list = (): Promise<ScheduleView[]> => ws.json<ScheduleView[]>(['schedule', 'list', '--json']);

  it('add, list, disable, enable and rm round trip, with --json', async () => {
    const add = await ws.run(['schedule', 'add', 'backup', '--days', 'mon,wed', '--at', '02:30', '--tz', 'Europe/Berlin', '--param', 'level=full', '--name', 'nightly']);
    expect(add.code, add.stderr).toBe(0);
    const id = Number(/^schedule (\d+) added: flow backup, at 02:30 on Monday and Wednesday \(Europe\/Berlin\)$/m.exec(add.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(add.stdout).toMatch(/next runs:\n {2}\d{4}-\d\d-\d\d 02:30:00 \+0[12]:00/);

    const report = await ws.json<ScheduleView>(['schedule', 'add', 'report', '--cron', '*/5 * * * *', '--overlap', 'queue', '--missed', 'run-once', '--missed-window', '600', '--json']);
    expect(report).toMatchObject({ flow: 'report', cron: '*/5 * * * *', timezone: 'UTC', overlap: 'queue', missed: 'run-once', missedWindowSeconds: 600, description: 'every 5 minutes (UTC)' });

    let all = await list();
    expect(all.map((s) => s.id)).toEqual([id, report.id]);
    const backup = all[0] as ScheduleView;
    expect(backup).toMatchObject({
      flow: 'backup',
      name: 'nightly',
      when: { days: ['mon', 'wed'], at: '02:30' },
      cron: '30 2 * * 1,3',
      timezone: 'Europe/Berlin',
      params: { level: 'full' },
      enabled: true,
      overlap: 'skip',
      missed: 'skip',
      lastFiredAt: null,
    });
    expect(backup.nextRuns).toHaveLength(5);
    expect([...backup.nextRuns].sort((a, b) => a - b)).toEqual(backup.nextRuns);
    expect((await ws.json<ScheduleView[]>(['schedule', 'list', '--flow', 'report', '--json'])).map((s) => s.id)).toEqual([report.id]);

    const dis = await ws.run(['schedule', 'disable', String(id)]);
    expect(dis.code, dis.stderr).toBe(0);
    all = await list();
    expect(all.find((s) => s.id === id)).toMatchObject({ enabled: false, nextRuns: [] });
    expect((await ws.run(['schedule', 'enable', String(id)])).code).toBe(0);
    expect((await list()).find((s) => s.id === id)?.enabled).toBe(true);

    const text = await ws.run(['schedule', 'list']);
    expect(text.stdout).toMatch(/^ID\s+FLOW\s+NAME\s+WHEN/);
    expect(text.stdout).toContain('every 5 minutes (UTC)');

    expect((await ws.run(['schedule', 'rm', String(id)])).code).toBe(0);
    expect((await ws.run(['schedule', 'rm', String(report.id)])).code).toBe(0);
    expect(await list()).toEqual([]);
  });

  it('refuses bad input with one clear line, exit 1, and changes nothing', async () => {
    const keep = await ws.json<ScheduleView>(['schedule', 'add', 'backup', '--cron', '0 4 * * *', '--json']);
    const before = await list();
    const cases: Array<[string[], RegExp]> = [
      [['--cron', '61 * * * *'], /^flowdeck: cron "61 \* \* \* \*": minute field "61" is not valid \(0-59\)$/],
      [['--cron', '* * * *'], /^flowdeck: cron "\* \* \* \*": has 4 fields; write 5 .* or 6/],
      [['--cron', '0 0 1 * mon'], /day-of-month "1" and day-of-week "mon" are both set/],
      [['--cron', '0 4 * * *', '--tz', 'Mars/Olympus'], /^flowdeck: unknown time zone "Mars\/Olympus" \(use an IANA name/],
      [['--days', 'mon,funday', '--at', '04:00'], /^flowdeck: --days: "funday" is not a day of the week/],
      [['--days', 'mon', '--at', '25:00'], /^flowdeck: time "25:00" must be HH:MM \(24-hour\)/],
      [['--cron', '0 4 * * *', '--param', 'nope=1'], /^flowdeck: flow "backup" has no parameter "nope"/],
    ];
    for (const [args, message] of cases) {
      const r = await ws.run(['schedule', 'add', 'backup', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    const unknown = await ws.run(['schedule', 'add', 'no-such-flow', '--cron', '0 4 * * *']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'flowdeck: unknown flow "no-such-flow"']);
    expect((await ws.run(['schedule', 'rm', '999'])).stderr.trim()).toBe('flowdeck: unknown schedule 999');
    expect(await list()).toEqual(before);
    expect(before.map((s) => s.id)).toEqual([keep.id]);
  });

  it('usage errors exit 2', async () => {
    for (const args of [
      ['schedule', 'add', 'backup'],
      ['schedule', 'add', 'backup', '--cron', '* * * * *', '--days', 'mon', '--at', '01:00'],
      ['schedule', 'add', 'backup', '--days', 'mon'],
      ['schedule', 'add', 'backup', '--cron', '* * * * *', '--overlap', 'sometimes'],
      ['schedule', 'add', 'backup', '--cron', '* * * * *', '--missed-window', 'soon'],
      ['schedule', 'disable', 'abc'],
    ]) {
      const r = await ws.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
  });

  it('a deleted flow: its schedules go with it, and a new schedule on it is refused', async () => {
    const s = await ws.json<ScheduleView>(['schedule', 'add', 'doomed', '--cron', '0 5 * * *', '--json']);
    expect((await list()).map((x) => x.id)).toContain(s.id);
    // No command deletes flows yet; remove it the way a future `flow rm` would, foreign keys on.
    const db = new Database(ws.db);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM flows WHERE id = ?').run('doomed');
    db.close();
    const before = await list();
    expect(before.map((x) => x.id)).not.toContain(s.id);
    const r = await ws.run(['schedule', 'add', 'doomed', '--cron', '0 5 * * *']);
    expect([r.code, r.stderr.trim()]).toEqual([1, 'flowdeck: unknown flow "doomed"']);
    expect(await list()).toEqual(before);
  });
});
