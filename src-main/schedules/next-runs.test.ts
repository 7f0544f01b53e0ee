import { describe, expect, it } from 'vitest';
import { parseCron } from './cron-expression';
import { latestRunBetween, nextRuns } from './next-runs';
import { formatInZone } from './zone';

const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const runs = (cron: string, zone: string, from: string, count: number): string[] => iso(nextRuns(parseCron(cron), zone, Date.parse(from), count));
const local = (cron: string, zone: string, from: string, count: number): string[] =>
  nextRuns(parseCron(cron), zone, Date.parse(from), count).map((t) => formatInZone(t, zone));

describe('next runs across daylight-saving changes (fixed dates)', () => {
  describe('Europe/Berlin, spring forward 2026-03-29 02:00 -> 03:00', () => {
    it('a daily 02:30 that does not exist that day runs once, right after the jump (03:00 CEST)', () => {
      expect(local('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 4)).toEqual([
        '2026-03-28 02:30:00 +01:00',
        '2026-03-29 03:00:00 +02:00',
        '2026-03-30 02:30:00 +02:00',
        '2026-03-31 02:30:00 +02:00',
      ]);
    });
    it('an hourly schedule keeps one run per real hour', () => {
      expect(runs('0 * * * *', 'Europe/Berlin', '2026-03-28T22:30:00Z', 4)).toEqual([
        '2026-03-28T23:00:00Z',
        '2026-03-29T00:00:00Z',
        '2026-03-29T01:00:00Z',
        '2026-03-29T02:00:00Z',
      ]);
      expect(local('30 * * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', 2)).toEqual(['2026-03-29 01:30:00 +01:00', '2026-03-29 03:30:00 +02:00']);
    });
    it('several fixed times inside the jump merge into one run; wildcard ones inside it do not occur', () => {
      expect(local('0,30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 3)).toEqual([
        '2026-03-29 03:00:00 +02:00',
        '2026-03-30 02:00:00 +02:00',
        '2026-03-30 02:30:00 +02:00',
      ]);
      expect(local('*/30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-30 02:00:00 +02:00']);
    });
  });

  describe('Europe/Berlin, fall back 2026-10-25 03:00 -> 02:00', () => {
    it('a daily 02:30 that happens twice runs once, at its first occurrence (CEST)', () => {
      expect(local('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', 3)).toEqual([
        '2026-10-24 02:30:00 +02:00',
        '2026-10-25 02:30:00 +02:00',
        '2026-10-26 02:30:00 +01:00',
      ]);
    });
    it('an hourly schedule runs in both 02:00 hours: one run per real hour', () => {
      expect(local('0 * * * *', 'Europe/Berlin', '2026-10-24T22:30:00Z', 4)).toEqual([
        '2026-10-25 01:00:00 +02:00',
        '2026-10-25 02:00:00 +02:00',
        '2026-10-25 02:00:00 +01:00',
        '2026-10-25 03:00:00 +01:00',
      ]);
    });
  });

  describe('America/New_York, 2026-03-08 (02:00 -> 03:00) and 2026-11-01 (02:00 -> 01:00)', () => {
    it('daily 02:30 in spring runs at 03:00 EDT on the day of the change', () => {
      expect(local('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 3)).toEqual([
        '2026-03-08 03:00:00 -04:00',
        '2026-03-09 02:30:00 -04:00',
        '2026-03-10 02:30:00 -04:00',
      ]);
    });
    it('hourly in spring: no gap, no double', () => {
      expect(runs('0 * * * *', 'America/New_York', '2026-03-08T05:30:00Z', 3)).toEqual(['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z']);
    });
    it('daily 01:30 in autumn runs once, at 01:30 EDT; 02:30 exists once and runs once', () => {
      expect(local('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual(['2026-11-01 01:30:00 -04:00', '2026-11-02 01:30:00 -05:00']);
      expect(local('30 2 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual(['2026-11-01 02:30:00 -05:00', '2026-11-02 02:30:00 -05:00']);
    });
    it('hourly in autumn runs in both 01:00 hours', () => {
      expect(runs('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3)).toEqual(['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']);
    });
  });

  it('a zone without daylight saving (Asia/Tokyo) is the same every day', () => {
    expect(runs('30 2 * * *', 'Asia/Tokyo', '2026-03-27T00:00:00Z', 4)).toEqual([
      '2026-03-27T17:30:00Z',
      '2026-03-28T17:30:00Z',
      '2026-03-29T17:30:00Z',
      '2026-03-30T17:30:00Z',
    ]);
    expect(runs('0 * * * *', 'UTC', '2026-10-25T00:30:00Z', 3)).toEqual(['2026-10-25T01:00:00Z', '2026-10-25T02:00:00Z', '2026-10-25T03:00:00Z']);
  });
});

describe('next runs', () => {
  it('are strictly after `from` and in order, per second included', () => {
    expect(runs('* * * * * *', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:03Z']);
    expect(runs('*/20 * * * * *', 'Europe/Berlin', '2026-03-29T00:59:50Z', 3)).toEqual(['2026-03-29T01:00:00Z', '2026-03-29T01:00:20Z', '2026-03-29T01:00:40Z']);
  });
  it('follow the days of the week in the zone, not in UTC', () => {
    // 2026-06-01 is a Monday; 00:30 Monday in Tokyo is Sunday 15:30 UTC.
    expect(runs('30 0 * * mon', 'Asia/Tokyo', '2026-05-30T00:00:00Z', 2)).toEqual(['2026-05-31T15:30:00Z', '2026-06-07T15:30:00Z']);
  });
  it('find rare days (Feb 29) and day tokens (last day, nth weekday)', () => {
    expect(runs('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual(['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
    expect(runs('0 12 L * *', 'UTC', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-28T12:00:00Z', '2026-03-31T12:00:00Z']);
    expect(runs('0 9 * * 1#2', 'UTC', '2026-06-01T00:00:00Z', 1)).toEqual(['2026-06-08T09:00:00Z']);
  });
});

describe('latestRunBetween (the run a closed period missed last)', () => {
  it('is the last fire time in the interval, or none', () => {
    const daily = parseCron('30 2 * * *');
    expect(iso([latestRunBetween(daily, 'Europe/Berlin', Date.parse('2026-03-20T00:00:00Z'), Date.parse('2026-03-29T12:00:00Z')) ?? 0])).toEqual([
      '2026-03-29T01:00:00Z',
    ]);
    expect(latestRunBetween(daily, 'UTC', Date.parse('2026-03-20T03:00:00Z'), Date.parse('2026-03-21T02:00:00Z'))).toBeUndefined();
    const perSecond = parseCron('* * * * * *');
    expect(latestRunBetween(perSecond, 'UTC', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T03:00:10.500Z'))).toBe(Date.parse('2026-01-01T03:00:10Z'));
  });
});
