import { FlowdeckError } from '../../src-shared/errors';
import type { ScheduleView, ScheduleWhen } from '../../src-shared/domain/schedule';
import type { ProblemAt } from '../../src-shared/ipc/contract';
import type { StoredSchedule } from '../store/schedule-queries';
import { CronSyntaxError, cronOfWhen, parseCron } from './cron-expression';
import { describeSchedule } from './describe';
import { nextRuns } from './next-runs';
import { checkZone } from './zone';

const PREVIEW_RUNS = 5;

function whenOf(s: StoredSchedule): ScheduleWhen {
  return s.days !== null && s.at !== null ? { days: s.days, at: s.at } : { cron: s.cron };
}

/** What the console and `schedule list --json` show: the schedule, in words, with its next runs. */
export function scheduleView(s: StoredSchedule, now = Date.now(), count = PREVIEW_RUNS): ScheduleView {
  const when = whenOf(s);
  return {
    id: s.id,
    flow: s.flow,
    name: s.name,
    when,
    cron: s.cron,
    timezone: s.timezone,
    params: s.params,
    enabled: s.enabled,
    overlap: s.overlap,
    missed: s.missed,
    missedWindowSeconds: s.missedWindowSeconds,
    description: describeSchedule(when, s.timezone),
    nextRuns: s.enabled ? nextRuns(parseCron(s.cron), s.timezone, now, count) : [],
    lastFiredAt: s.lastFiredAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export type Preview = { ok: true; description: string; cron: string; nextRuns: number[] } | { ok: false; problem: ProblemAt };

/** The form's live preview: an invalid cron or zone is an answer here (with where it is wrong), not an error. */
export function previewSchedule(when: ScheduleWhen, timezone: string, count = PREVIEW_RUNS, now = Date.now()): Preview {
  try {
    const zone = checkZone(timezone);
    const spec = cronOfWhen(when);
    return { ok: true, description: describeSchedule(when, zone), cron: spec.expression, nextRuns: nextRuns(spec, zone, now, count) };
  } catch (e) {
    if (!(e instanceof FlowdeckError)) throw e;
    const problem: ProblemAt = { message: e.message };
    if (e instanceof CronSyntaxError && e.column !== undefined) Object.assign(problem, { line: 1, column: e.column });
    return { ok: false, problem };
  }
}
