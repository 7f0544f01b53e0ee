import { describe, expect, it } from 'vitest';
import { describeSchedule } from './describe';

describe('a schedule in words', () => {
  it('says the day/time form as an operator would', () => {
    expect(describeSchedule({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], at: '02:30' }, 'Europe/Berlin')).toBe('every day at 02:30 (Europe/Berlin)');
    expect(describeSchedule({ days: ['wed', 'mon'], at: '09:00' }, 'UTC')).toBe('at 09:00 on Monday and Wednesday (UTC)');
    expect(describeSchedule({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], at: '06:00' }, 'UTC')).toBe('at 06:00 on weekdays (UTC)');
    expect(describeSchedule({ days: ['sun', 'fri', 'mon'], at: '06:00' }, 'UTC')).toBe('at 06:00 on Monday, Friday and Sunday (UTC)');
  });
  it('says common cron shapes in words', () => {
    const say = (cron: string): string => describeSchedule({ cron }, 'UTC');
    expect(say('* * * * * *')).toBe('every second (UTC)');
    expect(say('*/10 * * * * *')).toBe('every 10 seconds (UTC)');
    expect(say('* * * * *')).toBe('every minute (UTC)');
    expect(say('*/5 * * * *')).toBe('every 5 minutes (UTC)');
    expect(say('@hourly')).toBe('every hour on the hour (UTC)');
    expect(say('15 * * * *')).toBe('every hour at minute 15 (UTC)');
    expect(say('0 */2 * * *')).toBe('every 2 hours at minute 0 (UTC)');
    expect(say('30 2 * * *')).toBe('every day at 02:30 (UTC)');
    expect(say('0 9,17 * * *')).toBe('every day at 09:00 and 17:00 (UTC)');
    expect(say('0 9 * * 1,3')).toBe('at 09:00 on Monday and Wednesday (UTC)');
    expect(say('0 7 1 * *')).toBe('at 07:00 on day 1 of every month (UTC)');
  });
  it('falls back to the expression itself', () => {
    expect(describeSchedule({ cron: '0 9 * 1-6 *' }, 'Europe/Berlin')).toBe('cron `0 9 * 1-6 *` (Europe/Berlin)');
    expect(describeSchedule({ cron: '0 9 * * 5L' }, 'UTC')).toBe('cron `0 9 * * 5L` (UTC)');
  });
});
