import { describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../../src-shared/domain/schedule';
import { fieldOfProblem, formOf, inputOf, inputOfView, whenOf } from './schedule-input';

const view: ScheduleView = {
  id: 3,
  flow: 'backup',
  name: 'nightly',
  when: { days: ['mon', 'wed'], at: '02:30' },
  cron: '30 2 * * 1,3',
  timezone: 'Europe/Berlin',
  params: { reason: 'nightly', keep: 7 },
  enabled: true,
  overlap: 'queue',
  missed: 'run-once',
  missedWindowSeconds: 7200,
  description: 'at 02:30 on Monday and Wednesday (Europe/Berlin)',
  nextRuns: [],
  lastFiredAt: null,
  createdAt: 1,
  updatedAt: 1,
};

describe('the schedule form', () => {
  it('opens a new schedule on weekdays at 02:00 in the given zone, and the stored one as stored', () => {
    const blank = formOf(null, { flow: 'f', zone: 'Asia/Tokyo' });
    expect(blank).toMatchObject({ flow: 'f', kind: 'days', days: ['mon', 'tue', 'wed', 'thu', 'fri'], at: '02:00', timezone: 'Asia/Tokyo', enabled: true, overlap: 'skip', missed: 'skip', missedWindow: '60' });
    expect(inputOf(formOf(view, { flow: 'x', zone: 'UTC' }))).toEqual({ ok: true, input: inputOfView(view) });
  });

  it('sends days in week order however they were ticked, and a cron with its spaces tidied', () => {
    const f = { ...formOf(null, { flow: 'f', zone: 'UTC' }), days: ['fri' as const, 'mon' as const], at: '23:05' };
    expect(whenOf(f)).toEqual({ ok: true, when: { days: ['mon', 'fri'], at: '23:05' } });
    expect(whenOf({ ...f, kind: 'cron', cron: '  */5   * * * * ' })).toEqual({ ok: true, when: { cron: '*/5 * * * *' } });
  });

  it('puts each problem at its field and sends nothing', () => {
    const f = formOf(null, { flow: 'f', zone: 'UTC' });
    expect(inputOf({ ...f, days: [] })).toEqual({ ok: false, problems: { days: 'pick at least one day' } });
    expect(inputOf({ ...f, at: '24:00' })).toEqual({ ok: false, problems: { at: 'must be HH:MM (24-hour)' } });
    expect(inputOf({ ...f, kind: 'cron', cron: ' ' })).toMatchObject({ ok: false, problems: { cron: expect.stringContaining('cron') } });
    expect(inputOf({ ...f, timezone: 'Mars/Olympus' })).toEqual({ ok: false, problems: { timezone: 'unknown time zone "Mars/Olympus"' } });
    expect(inputOf({ ...f, params: { ok: false, problem: 'row 1: x' } })).toEqual({ ok: false, problems: { params: 'row 1: x' } });
    expect(inputOf({ ...f, missed: 'run-once', missedWindow: '0' })).toMatchObject({ ok: false, problems: { missedWindow: expect.any(String) } });
    expect(inputOf({ ...f, flow: '' })).toEqual({ ok: false, problems: { flow: 'pick a flow' } });
  });

  it('places a server problem at the field it talks about', () => {
    expect(fieldOfProblem('unknown time zone "X"', 'days')).toBe('timezone');
    expect(fieldOfProblem('invalid cron expression: "x"', 'cron')).toBe('cron');
    expect(fieldOfProblem('unknown flow "gone"', 'cron')).toBe('flow');
  });
});
