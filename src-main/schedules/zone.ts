import { FlowdeckError } from '../../src-shared/errors';

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(zone: string): Intl.DateTimeFormat {
  let f = wallFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(zone, f);
  }
  return f;
}

/**
 * Checks an IANA zone name against the runtime's zone database and returns its canonical
 * spelling (`europe/berlin` -> `Europe/Berlin`). Offsets such as `+02:00` are refused: they
 * have no daylight-saving rules, which is usually not what the operator meant.
 */
export function checkZone(zone: string): string {
  const hint = 'use an IANA name such as Europe/Berlin, America/New_York or UTC';
  if (!/^[A-Za-z]/.test(zone)) throw new FlowdeckError('invalid-input', `unknown time zone "${zone}" (${hint})`);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new FlowdeckError('invalid-input', `unknown time zone "${zone}" (${hint})`);
  }
}

/**
 * "Wall" time: the local date and time in `zone` written as if it were UTC epoch ms, so local
 * calendar arithmetic is plain integer arithmetic. `offsetAt(zone, t)` is wall(t) - t.
 */
export function offsetAt(zone: string, t: number): number {
  const parts = wallFormatter(zone).formatToParts(new Date(t));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return wall - Math.floor(t / 1000) * 1000;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-03-29 03:00:00 +02:00`: the local time an operator reads, with the offset that disambiguates it. */
export function formatInZone(t: number, zone: string): string {
  const off = offsetAt(zone, t);
  const w = new Date(t + off);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off) / 60_000;
  return (
    `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ` +
    `${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
