import type { JsonObject } from '../../../src-shared/domain/inventory';
import {
  scheduleInputSchema,
  weekDays,
  type MissedPolicy,
  type OverlapPolicy,
  type ScheduleInput,
  type ScheduleView,
  type ScheduleWhen,
  type WeekDay,
} from '../../../src-shared/domain/schedule';
import type { Parsed } from '../../format/json-object';
import { isKnownZone } from './zones';

/** What the schedule form holds while the operator types (text as typed, parsed on the way out). */
export interface ScheduleForm {
  flow: string;
  name: string;
  kind: 'days' | 'cron';
  days: WeekDay[];
  at: string;
  cron: string;
  timezone: string;
  params: Parsed<JsonObject>;
  enabled: boolean;
  overlap: OverlapPolicy;
  missed: MissedPolicy;
  /** Minutes, as typed. */
  missedWindow: string;
}

export type FormField = 'flow' | 'name' | 'days' | 'at' | 'cron' | 'timezone' | 'params' | 'missedWindow';
export type FormProblems = Partial<Record<FormField, string>>;

export const DAY_LABELS: Record<WeekDay, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** A form for a new schedule (weekdays at 02:00 in `zone`) or for the one stored. */
export function formOf(view: ScheduleView | null, defaults: { flow: string; zone: string }): ScheduleForm {
  const when = view?.when;
  const days = when && 'days' in when ? when.days : (['mon', 'tue', 'wed', 'thu', 'fri'] as WeekDay[]);
  return {
    flow: view?.flow ?? defaults.flow,
    name: view?.name ?? '',
    kind: when && 'cron' in when ? 'cron' : 'days',
    days: [...days],
    at: when && 'at' in when ? when.at : '02:00',
    cron: when && 'cron' in when ? when.cron : (view?.cron ?? '0 2 * * 1-5'),
    timezone: view?.timezone ?? defaults.zone,
    params: { ok: true, value: view?.params ?? {} },
    enabled: view?.enabled ?? true,
    overlap: view?.overlap ?? 'skip',
    missed: view?.missed ?? 'skip',
    missedWindow: String(Math.round((view?.missedWindowSeconds ?? 3600) / 60)),
  };
}

/** The `when` the form describes (days in week order), or the field that is wrong and why. */
export function whenOf(f: ScheduleForm): { ok: true; when: ScheduleWhen } | { ok: false; field: FormField; problem: string } {
  if (f.kind === 'cron') {
    const cron = f.cron.trim().replace(/\s+/g, ' ');
    if (cron === '') return { ok: false, field: 'cron', problem: 'a cron expression is needed, e.g. 30 2 * * 1-5' };
    return { ok: true, when: { cron } };
  }
  if (f.days.length === 0) return { ok: false, field: 'days', problem: 'pick at least one day' };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(f.at)) return { ok: false, field: 'at', problem: 'must be HH:MM (24-hour)' };
  return { ok: true, when: { days: weekDays.filter((d) => f.days.includes(d)), at: f.at } };
}

/** What `schedules/save` takes, or the problems by field (nothing is sent while there are any). */
export function inputOf(f: ScheduleForm): { ok: true; input: ScheduleInput } | { ok: false; problems: FormProblems } {
  const problems: FormProblems = {};
  const when = whenOf(f);
  if (!when.ok) problems[when.field] = when.problem;
  if (!isKnownZone(f.timezone.trim())) problems.timezone = `unknown time zone "${f.timezone.trim()}"`;
  if (!f.params.ok) problems.params = f.params.problem;
  const minutes = Number(f.missedWindow);
  if (f.missed === 'run-once' && (!Number.isInteger(minutes) || minutes < 1 || minutes > 31 * 24 * 60)) problems.missedWindow = `must be whole minutes, 1 to ${31 * 24 * 60}`;
  if (f.flow.trim() === '') problems.flow = 'pick a flow';
  if (!when.ok || Object.keys(problems).length > 0 || !f.params.ok) return { ok: false, problems };
  const input: ScheduleInput = {
    flow: f.flow.trim(),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    when: when.when,
    timezone: f.timezone.trim(),
    params: f.params.value,
    enabled: f.enabled,
    overlap: f.overlap,
    missed: f.missed,
    // A window only matters for run-once; the stored one is kept otherwise.
    missedWindowSeconds: Number.isInteger(minutes) && minutes >= 1 && minutes <= 31 * 24 * 60 ? minutes * 60 : 3600,
  };
  const checked = scheduleInputSchema.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const head = String(issue.path[0] ?? 'flow');
      const field: FormField = head === 'when' ? (f.kind === 'cron' ? 'cron' : issue.path[1] === 'days' ? 'days' : 'at') : head === 'missedWindowSeconds' ? 'missedWindow' : (head as FormField);
      problems[field] ??= issue.message;
    }
    return { ok: false, problems };
  }
  return { ok: true, input };
}

/** The stored schedule as `schedules/save` takes it back (to flip `enabled` from the list). */
export function inputOfView(v: ScheduleView): ScheduleInput {
  return {
    flow: v.flow,
    ...(v.name ? { name: v.name } : {}),
    when: v.when,
    timezone: v.timezone,
    params: v.params,
    enabled: v.enabled,
    overlap: v.overlap,
    missed: v.missed,
    missedWindowSeconds: v.missedWindowSeconds,
  };
}

/** Which form field a server problem belongs to, by what it talks about. */
export function fieldOfProblem(message: string, kind: ScheduleForm['kind']): FormField {
  if (/time ?zone|timezone|zone/i.test(message)) return 'timezone';
  if (/flow/i.test(message) && !/cron/i.test(message)) return 'flow';
  if (kind === 'cron') return 'cron';
  return /day/i.test(message) ? 'days' : 'at';
}
