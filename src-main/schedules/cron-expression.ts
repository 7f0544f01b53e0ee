import { validateDetailed } from 'node-cron';
import { FlowdeckError } from '../../src-shared/errors';
import { weekDays, type ScheduleWhen, type WeekDay } from '../../src-shared/domain/schedule';

/** A day-of-month or day-of-week token as node-cron parses it: a number, or `L`, `15W`, `L-2`, `5L`, `1#2`. */
type DayToken = number | string;

/** A checked cron expression, ready for next-run computation. */
export interface CronSpec {
  /** As the operator wrote it, whitespace collapsed. */
  expression: string;
  /** The six fields as written (a 5-field expression gets second `0`), nicknames resolved. */
  fields: readonly [string, string, string, string, string, string];
  hasSeconds: boolean;
  seconds: readonly number[];
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: readonly DayToken[];
  months: ReadonlySet<number>;
  /** 0 = Sunday ... 6 = Saturday. */
  daysOfWeek: readonly DayToken[];
  /**
   * Vixie/cronie's "wildcard job": the minute or the hour field starts with `*`. Such a schedule
   * keeps its rhythm in real time across a daylight-saving change, where a fixed-time one is
   * moved or merged (see next-runs.ts).
   */
  wildcard: boolean;
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELD_HELP: Readonly<Record<string, readonly [string, string]>> = {
  second: ['second', '0-59'],
  minute: ['minute', '0-59'],
  hour: ['hour', '0-23'],
  dayOfMonth: ['day-of-month', '1-31, L, 15W or L-2'],
  month: ['month', '1-12 or jan-dec'],
  dayOfWeek: ['day-of-week', '0-7 or sun-sat, 5L or 1#2'],
};
const FIELD_ORDER = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

/** A bad cron expression; `column` (1-based) points at the field that is wrong, for the editor. */
export class CronSyntaxError extends FlowdeckError {
  constructor(
    message: string,
    readonly column: number | undefined,
  ) {
    super('invalid-input', message);
  }
}

function invalid(expression: string, message: string, column?: number): CronSyntaxError {
  return new CronSyntaxError(`cron "${expression}": ${message}`, column);
}

/** 1-based column of field `index` (0-based, of the fields as written) in `expression`. */
function columnOf(expression: string, index: number): number {
  const re = /\S+/g;
  for (let i = 0; ; i++) {
    const m = re.exec(expression);
    if (!m) return 1;
    if (i === index) return m.index + 1;
  }
}

const numbers = (values: ReadonlyArray<DayToken>): number[] =>
  values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);

/**
 * Checks a 5-field (minute first) or 6-field (second first) cron expression, or a nickname such
 * as `@daily`; throws `invalid-input` naming the field that is wrong. node-cron does the parsing,
 * so what is accepted here is exactly what node-cron understands.
 */
export function parseCron(input: string): CronSpec {
  const expression = input.trim().replace(/\s+/g, ' ');
  if (expression === '') throw invalid(expression, 'is empty');
  const resolved = NICKNAMES[expression.toLowerCase()] ?? expression;
  if (resolved.startsWith('@')) {
    throw invalid(expression, `unknown shorthand (use ${Object.keys(NICKNAMES).join(', ')}, or five or six fields)`);
  }
  const raw = resolved.split(' ');
  if (raw.length !== 5 && raw.length !== 6) {
    throw invalid(
      expression,
      `has ${raw.length} field${raw.length === 1 ? '' : 's'}; write 5 (minute hour day-of-month month day-of-week) or 6 (a second field first)`,
    );
  }
  const hasSeconds = raw.length === 6;
  const result = validateDetailed(resolved);
  if (!result.valid || !result.fields) {
    const first = result.errors[0];
    const at = first ? FIELD_ORDER.indexOf(first.field as (typeof FIELD_ORDER)[number]) : -1;
    if (!first || at < 0) throw invalid(expression, first?.message.replace('pattern', 'it') ?? 'is not a cron expression');
    const written = hasSeconds ? at : at - 1;
    const column = written >= 0 && NICKNAMES[expression.toLowerCase()] === undefined ? columnOf(expression, written) : undefined;
    const problem = first.message.includes('impossible')
      ? `day-of-month "${first.value ?? ''}" never occurs in month "${raw[hasSeconds ? 4 : 3] ?? ''}"`
      : `${FIELD_HELP[first.field]?.[0] ?? first.field} field "${first.value ?? ''}" is not valid (${FIELD_HELP[first.field]?.[1] ?? 'see crontab(5)'})`;
    throw invalid(expression, problem, column);
  }
  const fields = (hasSeconds ? raw : ['0', ...raw]) as unknown as CronSpec['fields'];
  const [, minute, hour, dom, , dow] = fields;
  const restricted = (f: string): boolean => f !== '*' && f !== '?';
  if (restricted(dom) && restricted(dow)) {
    // node-cron requires both to match; Vixie cron runs when either does. Refusing is the only
    // reading no operator can get wrong.
    throw invalid(
      expression,
      `day-of-month "${dom}" and day-of-week "${dow}" are both set, and cron tools disagree on whether that means either or both; set one of them to *`,
      columnOf(expression, hasSeconds ? 3 : 2),
    );
  }
  const f = result.fields;
  return {
    expression,
    fields,
    hasSeconds,
    seconds: numbers(f.second),
    minutes: numbers(f.minute),
    hours: numbers(f.hour),
    daysOfMonth: f.dayOfMonth,
    months: new Set(f.month),
    daysOfWeek: f.dayOfWeek,
    wildcard: minute.startsWith('*') || hour.startsWith('*'),
  };
}

const CRON_DAY: Readonly<Record<WeekDay, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** The UI's form as cron: `--days mon,wed --at 09:00` is `0 9 * * 1,3`. */
export function dayTimeToCron(days: readonly WeekDay[], at: string): string {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!m) throw new FlowdeckError('invalid-input', `time "${at}" must be HH:MM (24-hour), e.g. 02:30`);
  const unique = weekDays.filter((d) => days.includes(d));
  if (unique.length === 0) throw new FlowdeckError('invalid-input', 'give at least one day of the week');
  const dow = unique.length === 7 ? '*' : unique.map((d) => CRON_DAY[d]).sort((a, b) => a - b).join(',');
  return `${Number(m[2])} ${Number(m[1])} * * ${dow}`;
}

/** The cron expression a schedule runs on, checked. */
export function cronOfWhen(when: ScheduleWhen): CronSpec {
  return parseCron('cron' in when ? when.cron : dayTimeToCron(when.days, when.at));
}

/** Whether day (`year`, `month` 1-12, `day`, `weekday` 0 = Sunday) matches the day fields; node-cron's token meanings. */
export function dayMatches(spec: CronSpec, year: number, month: number, day: number, weekday: number): boolean {
  if (!spec.months.has(month)) return false;
  return spec.daysOfMonth.some((t) => dayOfMonthMatches(t, year, month, day)) && spec.daysOfWeek.some((t) => dayOfWeekMatches(t, year, month, day, weekday));
}

const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOf(year, month);
  if (target < 1 || target > last) return -1;
  const wd = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (wd === 6) return target === 1 ? 3 : target - 1;
  if (wd === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function dayOfMonthMatches(token: DayToken, year: number, month: number, day: number): boolean {
  if (typeof token === 'number') return token === day;
  if (token === 'L') return day === lastDayOf(year, month);
  const w = /^(\d{1,2}|L)W$/.exec(token);
  if (w) return nearestWeekday(year, month, w[1] === 'L' ? lastDayOf(year, month) : Number(w[1])) === day;
  const off = /^L-(\d{1,2})$/.exec(token);
  if (off) return lastDayOf(year, month) - Number(off[1]) === day;
  return false;
}

function dayOfWeekMatches(token: DayToken, year: number, month: number, day: number, weekday: number): boolean {
  if (typeof token === 'number') return token % 7 === weekday;
  const last = /^([0-7])L$/.exec(token);
  if (last) return Number(last[1]) % 7 === weekday && day + 7 > lastDayOf(year, month);
  const nth = /^([0-7])#([1-5])$/.exec(token);
  if (nth) return Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]);
  return false;
}
