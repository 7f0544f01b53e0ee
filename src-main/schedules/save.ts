import { FlowdeckError } from '../../src-shared/errors';
import { scheduleInputSchema, weekDays, type ScheduleInput, type ScheduleSpec } from '../../src-shared/domain/schedule';
import { describeZodIssue, formatYamlPath } from '../inventory';
import type { Db } from '../store/db';
import { resolveParams } from '../engine/params';
import { getFlow } from '../store/flow-queries';
import { insertSchedule, updateSchedule, type ScheduleRecord, type StoredSchedule } from '../store/schedule-queries';
import { cronOfWhen } from './cron-expression';
import { checkZone } from './zone';

/** Checks everything a schedule says (shape, cron, zone) before anything is written. */
function scheduleRecord(input: ScheduleInput): ScheduleRecord {
  const parsed = scheduleInputSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${formatYamlPath(first.path)}: ` : '';
    throw new FlowdeckError('invalid-input', `schedule: ${where}${first ? describeZodIssue(first) : 'is not valid'}`);
  }
  const s: ScheduleSpec = parsed.data;
  const timezone = checkZone(s.timezone);
  const cron = cronOfWhen(s.when).expression;
  const form = 'days' in s.when ? { days: weekDays.filter((d) => 'days' in s.when && s.when.days.includes(d)), at: s.when.at } : { days: null, at: null };
  return {
    flow: s.flow,
    name: s.name ?? null,
    ...form,
    cron,
    timezone,
    params: s.params,
    enabled: s.enabled,
    overlap: s.overlap,
    missed: s.missed,
    missedWindowSeconds: s.missedWindowSeconds,
  };
}

/** Creates (no `id`) or replaces a schedule; the flow must exist. Throws FlowdeckError and then writes nothing. */
export function saveSchedule(db: Db, input: ScheduleInput, id?: number): StoredSchedule {
  const record = scheduleRecord(input);
  const flow = getFlow(db, record.flow);
  if (!flow) throw new FlowdeckError('not-found', `unknown flow "${record.flow}"`);
  // The same check a run makes, now rather than at 02:30 when nobody watches; a later edit of
  // the flow can still break it, and then the scheduler says so on each fire.
  resolveParams(flow.document, record.params);
  return id === undefined ? insertSchedule(db, record) : updateSchedule(db, id, record);
}
