import { z } from 'zod';
import { jsonValueSchema, slugSchema, type JsonValue } from './inventory';
import { missedPolicies, overlapPolicies, weekDays, type MissedPolicy, type OverlapPolicy, type WeekDay } from './schedule-options';

export { missedPolicies, overlapPolicies, weekDays, type MissedPolicy, type OverlapPolicy, type WeekDay };

/** When a schedule fires: the UI's form (days of the week + a time) or a cron expression. */
export const scheduleWhenSchema = z.union([
  z.object({ cron: z.string().min(1).max(200) }).strict(),
  z
    .object({
      days: z.array(z.enum(weekDays)).min(1).max(7),
      at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'),
    })
    .strict(),
]);
export type ScheduleWhen = z.infer<typeof scheduleWhenSchema>;

/** What an operator writes: the CLI, the Schedules page and the flow editor's panel all send this. */
export const scheduleInputSchema = z
  .object({
    flow: slugSchema,
    name: z.string().max(200).optional(),
    when: scheduleWhenSchema,
    /** IANA zone, e.g. Europe/Berlin; checked against the runtime's zone database. */
    timezone: z.string().min(1).max(100).default('UTC'),
    params: z.record(z.string(), jsonValueSchema).default({}),
    enabled: z.boolean().default(true),
    overlap: z.enum(overlapPolicies).default('skip'),
    missed: z.enum(missedPolicies).default('skip'),
    /** How late a missed run may still be made up at the next start (run-once). */
    missedWindowSeconds: z.number().int().min(1).max(31 * 24 * 3600).default(3600),
  })
  .strict();
export type ScheduleInput = z.input<typeof scheduleInputSchema>;
export type ScheduleSpec = z.output<typeof scheduleInputSchema>;

export interface ScheduleView {
  id: number;
  flow: string;
  name: string | null;
  when: ScheduleWhen;
  /** The cron expression actually scheduled (derived from days + time for the form). */
  cron: string;
  timezone: string;
  params: Record<string, JsonValue>;
  enabled: boolean;
  overlap: OverlapPolicy;
  missed: MissedPolicy;
  missedWindowSeconds: number;
  /** The schedule in words, e.g. "at 02:30 on Monday and Wednesday (Europe/Berlin)". */
  description: string;
  /** The next fire times, epoch ms; empty when disabled. */
  nextRuns: number[];
  lastFiredAt: number | null;
  createdAt: number;
  updatedAt: number;
}
