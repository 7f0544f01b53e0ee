import { describe, expect, it } from 'vitest';
import { formatInZone, isKnownZone, runTimes, timeZones } from './zones';

describe('time zones from Intl', () => {
  it('lists IANA zones with UTC, sorted', () => {
    const zones = timeZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('America/New_York');
    expect([...zones].sort((a, b) => a.localeCompare(b))).toEqual(zones);
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isKnownZone('Europe/Berlin')).toBe(true);
    expect(isKnownZone('UTC')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
  });

  it('shows the wall clock of the zone with its date, across a daylight-saving change', () => {
    // 2024-03-31: Berlin springs forward at 02:00 (01:00 UTC). 00:30 UTC is 01:30 CET, 01:30 UTC is 03:30 CEST.
    expect(formatInZone(Date.UTC(2024, 2, 31, 0, 30), 'Europe/Berlin')).toBe('Sun 2024-03-31 01:30 GMT+1');
    expect(formatInZone(Date.UTC(2024, 2, 31, 1, 30), 'Europe/Berlin')).toBe('Sun 2024-03-31 03:30 GMT+2');
    expect(formatInZone(Date.UTC(2024, 2, 31, 1, 30), 'UTC')).toBe('Sun 2024-03-31 01:30 UTC');
  });

  it('gives the viewer\'s clock only when it differs from the schedule\'s', () => {
    const t = Date.UTC(2024, 0, 15, 12, 0);
    expect(runTimes(t, 'Asia/Tokyo', 'UTC')).toEqual({ zone: 'Mon 2024-01-15 21:00 GMT+9', local: 'Mon 2024-01-15 12:00 UTC' });
    expect(runTimes(t, 'UTC', 'UTC')).toEqual({ zone: 'Mon 2024-01-15 12:00 UTC', local: null });
  });
});
