import { weekDays, type ScheduleWhen } from '../../src-shared/domain/schedule';
import { parseCron, type CronSpec } from './cron-expression';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** Week days (0 = Sunday), Monday first as operators read a week. */
function onDays(days: readonly number[]): string {
  const set = [...new Set(days.map((d) => d % 7))].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  if (set.length === 5 && !set.includes(0) && !set.includes(6)) return 'on weekdays';
  if (set.length === 2 && set.includes(0) && set.includes(6)) return 'on Saturday and Sunday';
  return `on ${list(set.map((d) => DAY_NAMES[d] ?? String(d)))}`;
}

const isNumber = (f: string): boolean => /^\d+$/.test(f);
const isNumberList = (f: string): boolean => /^\d+(,\d+)*$/.test(f);
const step = (f: string): number | undefined => (/^\*\/(\d+)$/.exec(f) ? Number(f.slice(2)) : undefined);
const every = (n: number, unit: string): string => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);

/** The common shapes in words; undefined for anything else. */
function cronInWords(spec: CronSpec): string | undefined {
  const [s, m, h, dom, mon, dow] = spec.fields;
  const allDays = dom === '*' || dom === '?';
  const anyWeekday = dow === '*' || dow === '?';
  if (mon !== '*' || !allDays || !anyWeekday) {
    if (mon !== '*' || !isNumber(s) || !isNumber(m) || !isNumberList(h)) return undefined;
    const at = `at ${list(spec.hours.map((hh) => clock(hh, Number(m), Number(s))))}`;
    if (allDays && spec.daysOfWeek.every((d) => typeof d === 'number')) return `${at} ${onDays(spec.daysOfWeek as number[])}`;
    if (anyWeekday && isNumberList(dom)) return `${at} on day ${list(dom.split(','))} of every month`;
    return undefined;
  }
  if (s === '*' && m === '*' && h === '*') return 'every second';
  const sStep = step(s);
  if (sStep !== undefined && m === '*' && h === '*') return every(sStep, 'second');
  if (s !== '0') {
    if (isNumber(s) && isNumber(m) && isNumberList(h)) return `every day at ${list(spec.hours.map((hh) => clock(hh, Number(m), Number(s))))}`;
    return undefined;
  }
  if (m === '*' && h === '*') return 'every minute';
  const mStep = step(m);
  if (mStep !== undefined && h === '*') return every(mStep, 'minute');
  if (!isNumber(m)) return undefined;
  if (h === '*') return Number(m) === 0 ? 'every hour on the hour' : `every hour at minute ${Number(m)}`;
  const hStep = step(h);
  if (hStep !== undefined) return `${every(hStep, 'hour')} at minute ${Number(m)}`;
  if (isNumberList(h)) return `every day at ${list(spec.hours.map((hh) => clock(hh, Number(m), 0)))}`;
  return undefined;
}

function clock(h: number, m: number, s: number): string {
  return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/**
 * The schedule in words with its zone: "every day at 02:30 (Europe/Berlin)", "at 09:00 on
 * Monday and Wednesday (UTC)", "every 5 minutes (UTC)"; anything else as "cron `expr` (zone)".
 * Throws like parseCron for an invalid expression.
 */
export function describeSchedule(when: ScheduleWhen, zone: string): string {
  if ('days' in when) {
    const days = weekDays.filter((d) => when.days.includes(d));
    if (days.length === 7) return `every day at ${when.at} (${zone})`;
    return `at ${when.at} ${onDays(days.map((d) => (weekDays.indexOf(d) + 1) % 7))} (${zone})`;
  }
  const spec = parseCron(when.cron);
  return `${cronInWords(spec) ?? `cron \`${spec.expression}\``} (${zone})`;
}
