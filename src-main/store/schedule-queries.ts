import type { Db } from './db';
import { FlowdeckError } from '../../src-shared/errors';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { MissedPolicy, OverlapPolicy, ScheduleView, WeekDay } from '../../src-shared/domain/schedule';

/**
 * A schedule as stored: the view's fields without what is computed for display (`when`,
 * `description`, `nextRuns`), and the day/time form's raw columns; `cron` is always set
 * (derived from `days` + `at` for the day/time form).
 */
export type StoredSchedule = Omit<ScheduleView, 'when' | 'description' | 'nextRuns'> & {
  days: WeekDay[] | null;
  at: string | null;
};

export type ScheduleRecord = Omit<StoredSchedule, 'id' | 'lastFiredAt' | 'createdAt' | 'updatedAt'>;

interface Row {
  id: number;
  flow_id: string;
  name: string | null;
  days: string | null;
  at: string | null;
  cron: string;
  timezone: string;
  params: string;
  enabled: number;
  overlap: OverlapPolicy;
  missed: MissedPolicy;
  missed_window_s: number;
  last_fired_at: number | null;
  created_at: number;
  updated_at: number;
}

function fromRow(r: Row): StoredSchedule {
  return {
    id: r.id,
    flow: r.flow_id,
    name: r.name,
    days: r.days === null ? null : (JSON.parse(r.days) as WeekDay[]),
    at: r.at,
    cron: r.cron,
    timezone: r.timezone,
    params: JSON.parse(r.params) as Record<string, JsonValue>,
    enabled: r.enabled === 1,
    overlap: r.overlap,
    missed: r.missed,
    missedWindowSeconds: r.missed_window_s,
    lastFiredAt: r.last_fired_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * `updated_at` for a write: now, but always above every stamp in the table, so that
 * (count, max(updated_at)) changes on every insert, edit or delete; the scheduler in another
 * process watches exactly that.
 */
function stamp(db: Db): number {
  const { top } = db.prepare('SELECT coalesce(max(updated_at), 0) AS top FROM schedules').get() as { top: number };
  return Math.max(Date.now(), top + 1);
}

function requireFlow(db: Db, flow: string): void {
  if (!db.prepare('SELECT 1 FROM flows WHERE id = ?').get(flow)) throw new FlowdeckError('not-found', `unknown flow "${flow}"`);
}

const columns = (r: ScheduleRecord): unknown[] => [
  r.flow,
  r.name,
  r.days === null ? null : JSON.stringify(r.days),
  r.at,
  r.cron,
  r.timezone,
  JSON.stringify(r.params),
  r.enabled ? 1 : 0,
  r.overlap,
  r.missed,
  r.missedWindowSeconds,
];

export function insertSchedule(db: Db, r: ScheduleRecord): StoredSchedule {
  return db.transaction(() => {
    requireFlow(db, r.flow);
    const now = stamp(db);
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO schedules (flow_id, name, days, at, cron, timezone, params, enabled, overlap, missed, missed_window_s, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...columns(r), now, now);
    return getSchedule(db, Number(lastInsertRowid)) as StoredSchedule;
  })();
}

/** Replaces schedule `id`; keeps its creation time and last fire. */
export function updateSchedule(db: Db, id: number, r: ScheduleRecord): StoredSchedule {
  return db.transaction(() => {
    if (!getSchedule(db, id)) throw new FlowdeckError('not-found', `unknown schedule ${id}`);
    requireFlow(db, r.flow);
    db.prepare(
      `UPDATE schedules SET flow_id = ?, name = ?, days = ?, at = ?, cron = ?, timezone = ?, params = ?, enabled = ?, overlap = ?,
              missed = ?, missed_window_s = ?, updated_at = ? WHERE id = ?`,
    ).run(...columns(r), stamp(db), id);
    return getSchedule(db, id) as StoredSchedule;
  })();
}

export function setScheduleEnabled(db: Db, id: number, enabled: boolean): StoredSchedule {
  return db.transaction(() => {
    if (!getSchedule(db, id)) throw new FlowdeckError('not-found', `unknown schedule ${id}`);
    db.prepare('UPDATE schedules SET enabled = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, stamp(db), id);
    return getSchedule(db, id) as StoredSchedule;
  })();
}

export function deleteSchedule(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM schedules WHERE id = ?').run(id).changes > 0;
}

export function getSchedule(db: Db, id: number): StoredSchedule | undefined {
  const row = db.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function listSchedules(db: Db, flow?: string): StoredSchedule[] {
  const rows = (
    flow === undefined
      ? db.prepare('SELECT * FROM schedules ORDER BY id').all()
      : db.prepare('SELECT * FROM schedules WHERE flow_id = ? ORDER BY id').all(flow)
  ) as Row[];
  return rows.map(fromRow);
}

/** Changes whenever any schedule is added, edited or removed, by any process (see `stamp`). */
export function schedulesFingerprint(db: Db): string {
  const r = db.prepare('SELECT count(*) AS n, coalesce(max(updated_at), 0) AS top FROM schedules').get() as { n: number; top: number };
  return `${r.n}:${r.top}`;
}

/**
 * Records that the run of `slot` starts. Only one process can claim a slot (the UPDATE is
 * atomic), so two schedulers on one database never both start it; false when already claimed
 * or when the schedule is gone.
 */
export function claimScheduleSlot(db: Db, id: number, slot: number): boolean {
  return db.prepare('UPDATE schedules SET last_fired_at = ? WHERE id = ? AND (last_fired_at IS NULL OR last_fired_at < ?)').run(slot, id, slot).changes > 0;
}

/** Executions of schedule `id` that have not ended (queued, running or paused), oldest first. */
export function unfinishedRunsOf(db: Db, id: number): number[] {
  const rows = db
    .prepare(`SELECT id FROM executions WHERE schedule_id = ? AND status IN ('queued', 'running', 'paused') ORDER BY id`)
    .all(id) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}
