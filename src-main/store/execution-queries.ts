import type { Db } from './db';
import { cached } from './statements';
import type {
  ExecutionReport,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionTrigger,
  StepRunRecord,
  StepRunStatus,
} from '../../src-shared/domain/execution';

interface ExecutionRow {
  id: number;
  flow_id: string;
  flow_version: number;
  status: ExecutionStatus;
  trigger: ExecutionTrigger;
  params: string;
  elements: string;
  origin_id: number | null;
  error: string | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
  priority: number;
  schedule_id: number | null;
  trigger_id: string | null;
  pause_requested: number;
  resumed_at: number | null;
}

/** Labels and pending approvals of many executions in two queries, not two per row. */
function summaries(db: Db, rows: ExecutionRow[]): ExecutionSummary[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const labels = new Map<number, Record<string, string[]>>();
  for (const l of db
    .prepare('SELECT execution_id AS id, key, value FROM labels WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY key, value')
    .all(ids) as Array<{ id: number; key: string; value: string }>) {
    let m = labels.get(l.id);
    if (!m) labels.set(l.id, (m = {}));
    (m[l.key] ??= []).push(l.value);
  }
  const pending = new Map<number, number>();
  for (const a of db
    .prepare(
      `SELECT execution_id AS id, count(*) AS n FROM approvals WHERE status = 'pending' AND execution_id IN (SELECT value FROM json_each(?)) GROUP BY execution_id`,
    )
    .all(ids) as Array<{ id: number; n: number }>)
    pending.set(a.id, a.n);
  return rows.map((r) => rowToSummary(r, labels.get(r.id) ?? {}, pending.get(r.id) ?? 0));
}

function rowToSummary(r: ExecutionRow, labels: Record<string, string[]>, pendingApprovals: number): ExecutionSummary {
  return {
    id: r.id,
    flow: r.flow_id,
    flowVersion: r.flow_version,
    status: r.status,
    trigger: r.trigger,
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    params: JSON.parse(r.params) as Record<string, unknown>,
    originId: r.origin_id,
    priority: r.priority,
    scheduleId: r.schedule_id,
    triggerId: r.trigger_id,
    pauseRequested: r.pause_requested === 1,
    resumedAt: r.resumed_at,
    labels,
    pendingApprovals,
  };
}

export interface NewExecution {
  flow: string;
  flowVersion: number;
  trigger: ExecutionTrigger;
  params: Record<string, unknown>;
  requestedElements?: string[];
  /** The planned elements, in order. */
  elements: string[];
  labels?: Record<string, string | string[]>;
  originId?: number;
  priority?: number;
  scheduleId?: number;
  triggerId?: string;
  owner: { pid: number; host: string };
}

/**
 * Inserts the execution (`queued`). `admit`, when given, runs first in the same IMMEDIATE
 * transaction and may refuse (by throwing): two processes cannot both take the queue's last place.
 */
export function createExecution(db: Db, e: NewExecution, admit?: () => void): number {
  return db.transaction(() => {
    admit?.();
    const now = Date.now();
    const info = db
      .prepare(
        `INSERT INTO executions (flow_id, flow_version, status, trigger, params, requested_elements, elements, priority, origin_id,
                                 schedule_id, trigger_id, owner_pid, owner_host, heartbeat_at, queued_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.flow,
        e.flowVersion,
        e.trigger,
        JSON.stringify(e.params),
        e.requestedElements ? JSON.stringify(e.requestedElements) : null,
        JSON.stringify(e.elements),
        e.priority ?? 0,
        e.originId ?? null,
        e.scheduleId ?? null,
        e.triggerId ?? null,
        e.owner.pid,
        e.owner.host,
        now,
        now,
      );
    const id = Number(info.lastInsertRowid);
    const addLabel = db.prepare('INSERT OR IGNORE INTO labels (execution_id, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of Object.entries(e.labels ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) addLabel.run(id, key, v);
    }
    return id;
  }).immediate();
}

export function markExecutionStarted(db: Db, id: number, elements: string[]): void {
  db.prepare(`UPDATE executions SET status = 'running', started_at = ?, elements = ? WHERE id = ?`).run(
    Date.now(),
    JSON.stringify(elements),
    id,
  );
}

/** What a step run still open when its execution ends becomes: cut short by a cancel, or failed/interrupted with it. */
function strayStatus(execution: ExecutionStatus): StepRunStatus {
  if (execution === 'cancelled' || execution === 'failed') return execution;
  return 'interrupted';
}

/**
 * Ends an execution, and in the same transaction closes any step run of it still open: normally
 * every step run closes itself first, but one whose end could not be recorded (a write that
 * failed, the disk full) must not stay `running` under an execution that has ended.
 */
export function finishExecution(db: Db, id: number, status: ExecutionStatus, error: string | null): void {
  db.transaction(() => {
    const now = Date.now();
    closeOpenStepRuns(db, id, strayStatus(status), `the execution ended (${status}) before this step run was recorded as finished`, now);
    db.prepare(`UPDATE executions SET status = ?, error = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?`).run(status, error, now, now, id);
  })();
}

export function getExecution(db: Db, id: number): ExecutionSummary | undefined {
  const row = db.prepare('SELECT * FROM executions WHERE id = ?').get(id) as ExecutionRow | undefined;
  return row ? summaries(db, [row])[0] : undefined;
}

export interface ExecutionQuery {
  flow?: string;
  status?: ExecutionStatus;
  element?: string;
  label?: { key: string; value?: string };
  since?: number;
  until?: number;
  limit?: number;
  /** Only executions with a smaller id: the next page of a newest-first list. */
  before?: number;
  /** Only executions started from this one (retries). */
  origin?: number;
}

/** Newest first. */
export function listExecutions(db: Db, q: ExecutionQuery = {}): ExecutionSummary[] {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (q.flow) {
    where.push('e.flow_id = ?');
    args.push(q.flow);
  }
  if (q.status) {
    where.push('e.status = ?');
    args.push(q.status);
  }
  if (q.element) {
    where.push('EXISTS (SELECT 1 FROM json_each(e.elements) j WHERE j.value = ?)');
    args.push(q.element);
  }
  if (q.label) {
    where.push(
      q.label.value === undefined
        ? 'EXISTS (SELECT 1 FROM labels l WHERE l.execution_id = e.id AND l.key = ?)'
        : 'EXISTS (SELECT 1 FROM labels l WHERE l.execution_id = e.id AND l.key = ? AND l.value = ?)',
    );
    args.push(q.label.key);
    if (q.label.value !== undefined) args.push(q.label.value);
  }
  if (q.since !== undefined) {
    where.push('e.queued_at >= ?');
    args.push(q.since);
  }
  if (q.until !== undefined) {
    where.push('e.queued_at < ?');
    args.push(q.until);
  }
  if (q.before !== undefined) {
    where.push('e.id < ?');
    args.push(q.before);
  }
  if (q.origin !== undefined) {
    where.push('e.origin_id = ?');
    args.push(q.origin);
  }
  const sql = `SELECT e.* FROM executions e ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY e.id DESC LIMIT ?`;
  args.push(q.limit ?? 100);
  return summaries(db, db.prepare(sql).all(...args) as ExecutionRow[]);
}

export function getLabels(db: Db, id: number): Record<string, string[]> {
  const rows = db.prepare('SELECT key, value FROM labels WHERE execution_id = ? ORDER BY key, value').all(id) as Array<{
    key: string;
    value: string;
  }>;
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.key] ??= []).push(r.value);
  return out;
}

interface StepRunRow {
  id: number;
  execution_id: number;
  element_id: string;
  step_path: string;
  kind: string;
  attempt: number;
  status: StepRunStatus;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  started_at: number | null;
  finished_at: number | null;
  runner?: string | null;
}

function rowToStepRun(r: StepRunRow): StepRunRecord {
  const run: StepRunRecord = {
    id: r.id,
    executionId: r.execution_id,
    element: r.element_id,
    step: r.step_path,
    kind: r.kind,
    attempt: r.attempt,
    status: r.status,
    exitCode: r.exit_code,
    signal: r.signal,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
  if (r.runner) run.runner = r.runner;
  return run;
}

export interface NewStepRun {
  executionId: number;
  element: string;
  step: string;
  kind: string;
  attempt: number;
  status: StepRunStatus;
  startedAt: number | null;
  finishedAt?: number | null;
  error?: string | null;
  result?: unknown;
}

export function insertStepRun(db: Db, r: NewStepRun): number {
  const info = cached(
    db,
    `INSERT INTO step_runs (execution_id, element_id, step_path, kind, attempt, status, started_at, finished_at, error, result)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.executionId,
    r.element,
    r.step,
    r.kind,
    r.attempt,
    r.status,
    r.startedAt,
    r.finishedAt ?? null,
    r.error ?? null,
    r.result === undefined ? null : JSON.stringify(r.result),
  );
  return Number(info.lastInsertRowid);
}

export interface StepRunOutcome {
  status: StepRunStatus;
  exitCode?: number | null;
  signal?: string | null;
  error?: string | null;
  result?: unknown;
  finishedAt: number;
}

export function finishStepRun(db: Db, id: number, o: StepRunOutcome): void {
  cached(db, `UPDATE step_runs SET status = ?, exit_code = ?, signal = ?, error = ?, result = ?, finished_at = ? WHERE id = ?`).run(
    o.status,
    o.exitCode ?? null,
    o.signal ?? null,
    o.error ?? null,
    o.result === undefined ? null : JSON.stringify(o.result),
    o.finishedAt,
    id,
  );
}

export function stepRunsByIds(db: Db, ids: number[]): StepRunRecord[] {
  if (ids.length === 0) return [];
  return (db.prepare('SELECT * FROM step_runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as StepRunRow[]).map(rowToStepRun);
}

export function listStepRuns(db: Db, executionId: number): StepRunRecord[] {
  return (db.prepare('SELECT * FROM step_runs WHERE execution_id = ? ORDER BY id').all(executionId) as StepRunRow[]).map(
    rowToStepRun,
  );
}

export function executionReport(db: Db, id: number): ExecutionReport | undefined {
  const row = db.prepare('SELECT * FROM executions WHERE id = ?').get(id) as ExecutionRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    flow: row.flow_id,
    flowVersion: row.flow_version,
    status: row.status,
    trigger: row.trigger,
    params: JSON.parse(row.params) as Record<string, unknown>,
    error: row.error,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    elements: JSON.parse(row.elements) as string[],
    runs: listStepRuns(db, id).map((r) => ({
      element: r.element,
      step: r.step,
      kind: r.kind,
      attempt: r.attempt,
      status: r.status,
      exitCode: r.exitCode,
      error: r.error,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      ...(r.runner ? { runner: r.runner } : {}),
    })),
  };
}

export interface OwnedExecution {
  id: number;
  status: ExecutionStatus;
  ownerPid: number | null;
  ownerHost: string | null;
  heartbeatAt: number | null;
}

export function listUnfinishedExecutions(db: Db): OwnedExecution[] {
  const rows = db
    .prepare(`SELECT id, status, owner_pid, owner_host, heartbeat_at FROM executions WHERE status IN ('queued', 'running', 'paused')`)
    .all() as Array<{ id: number; status: ExecutionStatus; owner_pid: number | null; owner_host: string | null; heartbeat_at: number | null }>;
  return rows.map((r) => ({ id: r.id, status: r.status, ownerPid: r.owner_pid, ownerHost: r.owner_host, heartbeatAt: r.heartbeat_at }));
}

/** Marks a dead process's execution and its unfinished step runs `interrupted`, in one transaction. */
export function markInterrupted(db: Db, id: number, reason: string): void {
  db.transaction(() => {
    const now = Date.now();
    closeOpenStepRuns(db, id, 'interrupted', reason, now);
    db.prepare(
      `UPDATE executions SET status = 'interrupted', error = ?, finished_at = ?, owner_pid = NULL
       WHERE id = ? AND status IN ('queued', 'running', 'paused')`,
    ).run(reason, now, id);
    releaseHolds(db, id, now);
  })();
}

/** A paused execution whose process died: its running step runs were cut short, the pause itself stands. */
export function orphanPaused(db: Db, id: number, reason: string): void {
  db.transaction(() => {
    const now = Date.now();
    closeOpenStepRuns(db, id, 'interrupted', reason, now);
    db.prepare(`UPDATE executions SET owner_pid = NULL, owner_host = NULL, pause_requested = 1 WHERE id = ? AND status = 'paused'`).run(id);
    releaseHolds(db, id, now);
  })();
}

/** Step runs still pending or running when their execution stopped without them: closed with `status`. */
export function closeOpenStepRuns(db: Db, id: number, status: StepRunStatus, reason: string, now = Date.now()): void {
  db.prepare(
    `UPDATE step_runs SET status = ?, finished_at = ?, error = COALESCE(error, ?)
     WHERE execution_id = ? AND status IN ('pending', 'running')`,
  ).run(status, now, reason, id);
}

/**
 * Step runs left `pending` or `running` in an execution that is no longer queued, running or
 * paused, whatever left them so (a failed write, a crash between two statements, an older
 * version): closed like `finishExecution` would have, at the execution's end (or their own start
 * if later), so no step run shows `running` forever. Returns how many were closed.
 */
export function closeStrayStepRuns(db: Db, now = Date.now()): number {
  return db
    .prepare(
      `UPDATE step_runs AS r
       SET status = CASE e.status WHEN 'cancelled' THEN 'cancelled' WHEN 'failed' THEN 'failed' ELSE 'interrupted' END,
           finished_at = MAX(COALESCE(r.started_at, 0), COALESCE(e.finished_at, ?)),
           error = COALESCE(r.error, 'the execution ended (' || e.status || ') before this step run was recorded as finished')
       FROM executions AS e
       WHERE e.id = r.execution_id AND r.status IN ('pending', 'running') AND e.status NOT IN ('queued', 'running', 'paused')`,
    )
    .run(now).changes;
}

/**
 * What an execution holds while it runs and gives up when it ends or loses its process: its
 * element locks, and its open approval questions (nobody can answer them any more).
 */
export function releaseHolds(db: Db, id: number, now = Date.now()): void {
  db.prepare(`UPDATE approvals SET status = 'cancelled', decided_at = ? WHERE execution_id = ? AND status = 'pending'`).run(now, id);
  db.prepare('DELETE FROM element_locks WHERE execution_id = ?').run(id);
}

/** Keeps the heartbeat of an owner's unfinished executions fresh. */
export function touchHeartbeats(db: Db, owner: { pid: number; host: string }, now: number): void {
  cached(db, `UPDATE executions SET heartbeat_at = ? WHERE owner_pid = ? AND owner_host = ? AND status IN ('queued', 'running', 'paused')`).run(now, owner.pid, owner.host);
}
