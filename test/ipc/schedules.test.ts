import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcHarness, trueSteps } from './harness';

describe('schedules over the dispatcher', () => {
  const h = new IpcHarness();
  const changes: number[][] = [];
  beforeAll(async () => {
    await h.open();
    await h.value('flows/save', { source: trueSteps('nightly', 1) });
    h.rt.deps.events.on('schedules', ({ ids }) => changes.push(ids));
  });
  afterAll(() => h.close());

  it('preview: the schedule in words, its cron and its next runs, nothing saved', async () => {
    const p = await h.value('schedules/preview', { when: { days: ['mon', 'wed'], at: '02:30' }, timezone: 'Europe/Berlin', count: 3 });
    if (!p.ok) throw new Error(p.problem.message);
    expect(p.description).toBe('at 02:30 on Monday and Wednesday (Europe/Berlin)');
    expect(p.cron).toBe('30 2 * * 1,3');
    expect(p.nextRuns).toHaveLength(3);
    expect([...p.nextRuns].sort((a, b) => a - b)).toEqual(p.nextRuns);
    for (const t of p.nextRuns) {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
      expect(parts).toMatch(/^(Mon|Wed) 02:30$/);
    }
    expect(await h.value('schedules/list', {})).toEqual([]);
  });

  it('preview: a bad cron or zone is a problem to show, with the column of the bad field', async () => {
    expect(await h.value('schedules/preview', { when: { cron: '0 25 * * *' }, timezone: 'UTC' })).toEqual({
      ok: false,
      problem: { message: 'cron "0 25 * * *": hour field "25" is not valid (0-23)', line: 1, column: 3 },
    });
    const zone = await h.value('schedules/preview', { when: { cron: '0 2 * * *' }, timezone: 'Europe/Atlantis' });
    expect(zone).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/^unknown time zone "Europe\/Atlantis"/) } });
  });

  it('save creates and replaces, list shows it in words, delete removes it; each change is announced', async () => {
    const created = await h.value('schedules/save', { schedule: { flow: 'nightly', when: { cron: '30 2 * * *' }, timezone: 'Europe/Berlin' } });
    expect(created).toMatchObject({ flow: 'nightly', enabled: true, description: 'every day at 02:30 (Europe/Berlin)', overlap: 'skip', missed: 'skip' });
    expect(created.nextRuns).toHaveLength(5);
    const edited = await h.value('schedules/save', { id: created.id, schedule: { flow: 'nightly', when: { cron: '30 2 * * *' }, enabled: false } });
    expect(edited).toMatchObject({ id: created.id, timezone: 'UTC', enabled: false, nextRuns: [], createdAt: created.createdAt });
    expect(edited.updatedAt).toBeGreaterThan(created.updatedAt);
    expect((await h.value('schedules/list', { flow: 'nightly' })).map((s) => s.id)).toEqual([created.id]);
    expect(await h.value('schedules/list', { flow: 'other' })).toEqual([]);
    expect(await h.value('schedules/delete', { id: created.id })).toEqual({ deleted: true });
    expect(await h.value('schedules/delete', { id: created.id })).toEqual({ deleted: false });
    expect(changes).toEqual([[created.id], [created.id], [created.id]]);
  });

  it('invalid cron, unknown zone, unknown flow or schedule: a typed error, and nothing changes', async () => {
    const keep = await h.value('schedules/save', { schedule: { flow: 'nightly', when: { cron: '0 4 * * *' } } });
    const before = await h.value('schedules/list', {});
    const seen = changes.length;
    const tries = [
      h.call('schedules/save', { schedule: { flow: 'nightly', when: { cron: '0 4 * *' } } }),
      h.call('schedules/save', { schedule: { flow: 'nightly', when: { cron: '0 4 * * *' }, timezone: 'Nowhere/Town' } }),
      h.call('schedules/save', { schedule: { flow: 'ghost', when: { cron: '0 4 * * *' } } }),
      h.call('schedules/save', { id: keep.id, schedule: { flow: 'ghost', when: { cron: '0 4 * * *' } } }),
      h.call('schedules/save', { id: 4242, schedule: { flow: 'nightly', when: { cron: '0 4 * * *' } } }),
    ];
    const errors = (await Promise.all(tries)).map((r) => (r.ok ? 'saved' : `${r.error.code}: ${r.error.message}`));
    expect(errors).toEqual([
      'invalid-input: cron "0 4 * *": has 4 fields; write 5 (minute hour day-of-month month day-of-week) or 6 (a second field first)',
      'invalid-input: unknown time zone "Nowhere/Town" (use an IANA name such as Europe/Berlin, America/New_York or UTC)',
      'not-found: unknown flow "ghost"',
      'not-found: unknown flow "ghost"',
      'not-found: unknown schedule 4242',
    ]);
    expect(await h.value('schedules/list', {})).toEqual(before.map((s) => ({ ...s, nextRuns: expect.any(Array) })));
    expect(changes).toHaveLength(seen);
  });
});
