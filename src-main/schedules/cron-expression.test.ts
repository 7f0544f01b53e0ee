import { describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { CronSyntaxError, dayTimeToCron, parseCron } from './cron-expression';
import { checkZone } from './zone';

function problem(cron: string): { message: string; column: number | undefined } {
  try {
    parseCron(cron);
  } catch (e) {
    expect(e).toBeInstanceOf(CronSyntaxError);
    return { message: (e as CronSyntaxError).message, column: (e as CronSyntaxError).column };
  }
  throw new Error(`"${cron}" was accepted`);
}

describe('cron expressions', () => {
  it('accept 5 fields, 6 fields (seconds first) and nicknames', () => {
    expect(parseCron('*/5 * * * *').hasSeconds).toBe(false);
    expect(parseCron('* * * * * *').seconds).toHaveLength(60);
    expect(parseCron('@daily').fields).toEqual(['0', '0', '0', '*', '*', '*']);
    expect(parseCron('  0   9 * *  mon-fri ').expression).toBe('0 9 * * mon-fri');
    expect(parseCron('0 9 * * mon-fri').daysOfWeek).toEqual([1, 2, 3, 4, 5]);
  });
  it('name the field that is wrong, and where it is', () => {
    expect(problem('61 * * * *')).toEqual({ message: 'cron "61 * * * *": minute field "61" is not valid (0-59)', column: 1 });
    expect(problem('0 25 * * *')).toMatchObject({ message: expect.stringContaining('hour field "25"'), column: 3 });
    expect(problem('0 0 0 0 * *')).toMatchObject({ message: expect.stringContaining('day-of-month field "0"'), column: 7 });
    expect(problem('0 0 * 13 *').message).toContain('month field "13"');
    expect(problem('0 0 * * 8').message).toContain('day-of-week field "8"');
    expect(problem('0 0 31 2 *').message).toContain('day-of-month "31" never occurs in month "2"');
    expect(problem('* * * *').message).toBe('cron "* * * *": has 4 fields; write 5 (minute hour day-of-month month day-of-week) or 6 (a second field first)');
    expect(problem('@reboot').message).toContain('unknown shorthand');
    expect(problem('').message).toContain('is empty');
  });
  it('refuse day-of-month and day-of-week both set: cron tools disagree on what it means', () => {
    expect(problem('0 0 1 * mon')).toMatchObject({ message: expect.stringContaining('are both set'), column: 5 });
  });
  it('mark schedules whose minute or hour is a wildcard (they keep real-time rhythm across DST)', () => {
    expect(parseCron('0 * * * *').wildcard).toBe(true);
    expect(parseCron('*/5 2 * * *').wildcard).toBe(true);
    expect(parseCron('30 2 * * *').wildcard).toBe(false);
    expect(parseCron('0 30 2 * * *').wildcard).toBe(false);
  });
});

describe('the day/time form', () => {
  it('becomes cron in the zone of the schedule', () => {
    expect(dayTimeToCron(['mon', 'wed'], '09:00')).toBe('0 9 * * 1,3');
    expect(dayTimeToCron(['sun', 'sat'], '23:05')).toBe('5 23 * * 0,6');
    expect(dayTimeToCron(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '02:30')).toBe('30 2 * * *');
  });
  it('refuses a time that is not HH:MM', () => {
    expect(() => dayTimeToCron(['mon'], '24:00')).toThrow(/must be HH:MM/);
    expect(() => dayTimeToCron(['mon'], '9:00')).toThrow(/must be HH:MM/);
  });
});

describe('time zones', () => {
  it('are IANA names, returned as the runtime spells them', () => {
    expect(checkZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(checkZone('europe/berlin')).toBe('Europe/Berlin');
    expect(checkZone('UTC')).toBe('UTC');
  });
  it('an unknown one is an invalid-input error naming it', () => {
    for (const zone of ['Mars/Base', '+02:00', 'Europe/Berlinn']) {
      let caught: unknown;
      try {
        checkZone(zone);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(FlowdeckError);
      expect((caught as FlowdeckError).code).toBe('invalid-input');
      expect((caught as FlowdeckError).message).toMatch(new RegExp(`^unknown time zone "${zone.replace('+', '\\+')}"`));
    }
  });
});
