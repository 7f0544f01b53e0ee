import { dayMatches, type CronSpec } from './cron-expression';
import { offsetAt } from './zone';

/*
 * When a schedule fires, as instants (epoch ms). The preview (`nextRuns`) and the scheduler's
 * timers use these same functions, so what the operator is shown is what happens.
 *
 * A cron expression names local wall-clock times in the schedule's zone. Daylight saving makes
 * some of them not exist and others happen twice. Flowdeck follows Vixie cron / cronie:
 *
 * - A fixed-time schedule (minute and hour fields are not `*`-something, e.g. `30 2 * * *`):
 *   - a time that does not exist (spring forward, 02:30 when clocks jump 02:00 -> 03:00) fires
 *     once, at the first instant after the jump (03:00 new time); several such times merge into
 *     that one run;
 *   - a time that happens twice (fall back, 02:30 when clocks go 03:00 -> 02:00) fires once, at
 *     its first occurrence (02:30 summer time).
 * - A wildcard schedule (minute or hour field starts with `*`, e.g. `0 * * * *`, `*\/5 * * * *`,
 *   every second) keeps its rhythm in real time: times inside the jump simply do not occur, and
 *   times in the repeated hour fire in both occurrences. So "every hour" is every real hour.
 *
 * node-cron 4.6 instead skips a non-existent time altogether (a daily 02:30 job does not run
 * that day) and resolves a repeated time to one occurrence chosen by the zone's offset sign
 * (the second in Europe/Berlin, the first in America/New_York); so it serves for parsing and
 * validation here, and firing is driven from these functions.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Every instant whose wall time lies on a local day is within these margins of it (offsets span -12 h..+14 h). */
const EARLIEST = 15 * HOUR;
const LATEST = 13 * HOUR;
/** How far to look for a matching day: enough for Feb 29 or a "fifth Monday of February". */
const MAX_DAYS = 366 * 30;

interface Civil {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

function civil(dayIndex: number): Civil {
  const d = new Date(dayIndex * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** The offsets around a local day and, when they differ, the instant the second took over. */
interface DayOffsets {
  before: number;
  after: number;
  /** First instant of the `after` offset; undefined when the day has no change. */
  change: number | undefined;
}

function offsetsAround(zone: string, dayIndex: number): DayOffsets {
  const lo = dayIndex * DAY - EARLIEST;
  const hi = (dayIndex + 1) * DAY + LATEST;
  const before = offsetAt(zone, lo);
  const after = offsetAt(zone, hi);
  if (before === after) return { before, after, change: undefined };
  // Zone changes happen on whole seconds; bisect down to one.
  let a = lo / SECOND;
  let b = hi / SECOND;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(zone, mid * SECOND) === before) a = mid;
    else b = mid;
  }
  return { before, after, change: b * SECOND };
}

/** The instants local wall time `wall` stands for under the rule above. */
function instantsOf(wall: number, off: DayOffsets, wildcard: boolean): number[] {
  if (off.change === undefined) return [wall - off.before];
  const first = wall - off.before;
  const second = wall - off.after;
  const firstValid = first < off.change;
  const secondValid = second >= off.change;
  if (firstValid && secondValid) return wildcard ? [first, second] : [first];
  if (firstValid) return [first];
  if (secondValid) return [second];
  return wildcard ? [] : [off.change];
}

/** Up to `limit` earliest instants after `from` that the wall times of one local day stand for. */
function runsOnDay(spec: CronSpec, zone: string, dayIndex: number, from: number, limit: number): number[] {
  const off = offsetsAround(zone, dayIndex);
  const start = dayIndex * DAY;
  const out: number[] = [];
  if (off.change === undefined) {
    // One offset all day: wall order is time order, so stop at `limit` and skip whole hours and
    // minutes that are already past (a per-second schedule would otherwise walk 86,400 times).
    const o = off.before;
    for (const h of spec.hours) {
      if (start + (h + 1) * HOUR - o <= from) continue;
      for (const m of spec.minutes) {
        if (start + h * HOUR + (m + 1) * MINUTE - o <= from) continue;
        for (const s of spec.seconds) {
          const t = start + h * HOUR + m * MINUTE + s * SECOND - o;
          if (t <= from) continue;
          out.push(t);
          if (out.length >= limit) return out;
        }
      }
    }
    return out;
  }
  // The day of a change: wall order is not quite time order (the repeated hour), so gather hour
  // by hour, bounded by the earliest and latest instant an hour's wall times can stand for.
  const hi = Math.max(off.before, off.after);
  const lo = Math.min(off.before, off.after);
  const all = new Set<number>();
  for (const h of spec.hours) {
    if (start + (h + 1) * HOUR - lo <= from) continue;
    if (all.size >= limit && start + h * HOUR - hi > ([...all].sort((a, b) => a - b)[limit - 1] ?? Number.POSITIVE_INFINITY)) break;
    for (const m of spec.minutes) {
      if (start + h * HOUR + (m + 1) * MINUTE - lo <= from) continue;
      for (const s of spec.seconds) for (const t of instantsOf(start + h * HOUR + m * MINUTE + s * SECOND, off, spec.wildcard)) if (t > from) all.add(t);
    }
  }
  return [...all].sort((a, b) => a - b).slice(0, limit);
}

/** The first `count` fire instants strictly after `from`, in order (fewer if the schedule never fires again). */
export function nextRuns(spec: CronSpec, zone: string, from: number, count: number): number[] {
  const found = new Set<number>();
  // Start a day early: a time that does not exist late on one day can land on the next.
  const firstDay = Math.floor((from + offsetAt(zone, from)) / DAY) - 1;
  let full = false;
  for (let d = firstDay; d < firstDay + MAX_DAYS; d++) {
    const c = civil(d);
    if (!dayMatches(spec, c.year, c.month, c.day, c.weekday)) continue;
    for (const t of runsOnDay(spec, zone, d, from, count)) found.add(t);
    // One more matching day after enough runs: exotic zones move a day's times past the next day's.
    if (full) break;
    if (found.size >= count) full = true;
  }
  return [...found].sort((a, b) => a - b).slice(0, count);
}

/** The first fire instant after `from`, if any. */
export function nextRun(spec: CronSpec, zone: string, from: number): number | undefined {
  return nextRuns(spec, zone, from, 1)[0];
}

/** The latest fire instant in (`after`, `upTo`], if any: the run that was missed last. */
export function latestRunBetween(spec: CronSpec, zone: string, after: number, upTo: number): number | undefined {
  const next = nextRun(spec, zone, after);
  if (next === undefined || next > upTo) return undefined;
  const afterNext = nextRun(spec, zone, next);
  if (afterNext === undefined || afterNext > upTo) return next;
  // Several were missed: walk back from the end instead of forward through all of them.
  const lastDay = Math.floor((upTo + offsetAt(zone, upTo)) / DAY) + 1;
  const firstDay = Math.floor((after + offsetAt(zone, after)) / DAY) - 1;
  let best: number | undefined;
  let oneMore = false;
  for (let d = lastDay; d >= firstDay; d--) {
    const c = civil(d);
    if (!dayMatches(spec, c.year, c.month, c.day, c.weekday)) continue;
    for (const t of runsOnDay(spec, zone, d, after, Number.POSITIVE_INFINITY)) if (t <= upTo && (best === undefined || t > best)) best = t;
    // As in nextRuns: one more matching day once something was found.
    if (oneMore) break;
    if (best !== undefined) oneMore = true;
  }
  return best ?? next;
}
