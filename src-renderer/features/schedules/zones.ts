/**
 * Time zones and times in them, from the runtime's own zone database (Intl): no network, no
 * bundled table to go stale.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = cache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    cache.set(zone, f);
  }
  return f;
}

/** Every IANA zone the runtime knows, sorted, with UTC (which some runtimes leave out of the list). */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...zones])].sort((a, b) => a.localeCompare(b));
}

/** The zone this browser (or window) runs in. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True when the runtime can compute times in `zone` (aliases such as US/Pacific included). */
export function isKnownZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `Sun 2024-03-31 03:30 GMT+2`: weekday, date and 24-hour time as the clock in `zone` shows it. */
export function formatInZone(ms: number, zone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** The next runs, each in the schedule's zone and, when it differs, the operator's. */
export function runTimes(ms: number, scheduleZone: string, viewerZone: string = localZone()): { zone: string; local: string | null } {
  const zone = formatInZone(ms, scheduleZone);
  const local = formatInZone(ms, viewerZone);
  return { zone, local: local === zone ? null : local };
}
