import type { Db } from './db';
import { cached } from './statements';
import { closeOpenStepRuns, releaseHolds } from './execution-queries';
import type { ApprovalStatus, ApprovalView, ExecutionStatus } from '../../src-shared/domain/execution';

/** What the owner of an execution must follow: written by any process, read by the owner. */
export interface ControlState {
  id: number;
  status: ExecutionStatus;
  pauseRequested: boolean;
  cancelRequested: string | null;
}

export function controlStates(db: Db, ids: number[]): ControlState[] {
  if (ids.length === 0) return [];
  const rows = cached(db, `SELECT id, status, pause_requested, cancel_requested FROM executions WHERE id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids),
  ) as Array<{ id: number; status: ExecutionStatus; pause_requested: number; cancel_requested: string | null }>;
  return rows.map((r) => ({ id: r.id, status: r.status, pauseRequested: r.pause_requested === 1, cancelRequested: r.cancel_requested }));
}

export function setExecutionStatus(db: Db, id: number, status: ExecutionStatus): void {
  cached(db, 'UPDATE executions SET status = ? WHERE id = ?').run(status, id);
}

interface ApprovalRow {
  id: number;
  execution_id: number;
  step_path: string;
  element_id: string | null;
  message: string;
  status: ApprovalStatus;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  comment: string | null;
}

const toView = (r: ApprovalRow): ApprovalView => ({
  id: r.id,
  executionId: r.execution_id,
  step: r.step_path,
  element: r.element_id,
  message: r.message,
  status: r.status,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  comment: r.comment,
});

export function createApproval(db: Db, a: { executionId: number; step: string; element: string | null; message: string }): ApprovalView {
  const now = Date.now();
  const info = db
    .prepare(`INSERT INTO approvals (execution_id, step_path, element_id, message, status, requested_at) VALUES (?, ?, ?, ?, 'pending', ?)`)
    .run(a.executionId, a.step, a.element, a.message, now);
  return getApproval(db, Number(info.lastInsertRowid)) as ApprovalView;
}

export function getApproval(db: Db, id: number): ApprovalView | undefined {
  const r = db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined;
  return r ? toView(r) : undefined;
}

export function listApprovals(db: Db, executionId: number): ApprovalView[] {
  return (db.prepare('SELECT * FROM approvals WHERE execution_id = ? ORDER BY id').all(executionId) as ApprovalRow[]).map(toView);
}

export function oldestPendingApproval(db: Db, executionId: number): ApprovalView | undefined {
  const r = db.prepare(`SELECT * FROM approvals WHERE execution_id = ? AND status = 'pending' ORDER BY id LIMIT 1`).get(executionId) as
    | ApprovalRow
    | undefined;
  return r ? toView(r) : undefined;
}

/** Records an answer; false when the approval was no longer pending (answered elsewhere, or given up). */
export function decideApproval(db: Db, id: number, status: Exclude<ApprovalStatus, 'pending'>, by: string | null, comment: string | null): boolean {
  return (
    db
      .prepare(`UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ? AND status = 'pending'`)
      .run(status, by, Date.now(), comment, id).changes > 0
  );
}

/** Decided approvals among `ids`: what the owner's waiting steps are told. */
export function decidedApprovals(db: Db, ids: number[]): ApprovalView[] {
  if (ids.length === 0) return [];
  return (
    cached(db, `SELECT * FROM approvals WHERE status != 'pending' AND id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ApprovalRow[]
  ).map(toView);
}


export interface ControlRow {
  id: number;
  flow: string;
  flowVersion: number;
  status: ExecutionStatus;
  params: Record<string, unknown>;
  elements: string[];
  pauseRequested: boolean;
  ownerPid: number | null;
  ownerHost: string | null;
  heartbeatAt: number | null;
}

export function controlRow(db: Db, id: number): ControlRow | undefined {
  const r = db
    .prepare('SELECT id, flow_id, flow_version, status, params, elements, pause_requested, owner_pid, owner_host, heartbeat_at FROM executions WHERE id = ?')
    .get(id) as
    | {
        id: number;
        flow_id: string;
        flow_version: number;
        status: ExecutionStatus;
        params: string;
        elements: string;
        pause_requested: number;
        owner_pid: number | null;
        owner_host: string | null;
        heartbeat_at: number | null;
      }
    | undefined;
  if (!r) return undefined;
  return {
    id: r.id,
    flow: r.flow_id,
    flowVersion: r.flow_version,
    status: r.status,
    params: JSON.parse(r.params) as Record<string, unknown>,
    elements: JSON.parse(r.elements) as string[],
    pauseRequested: r.pause_requested === 1,
    ownerPid: r.owner_pid,
    ownerHost: r.owner_host,
    heartbeatAt: r.heartbeat_at,
  };
}

export function requestPauseRow(db: Db, id: number, paused: boolean): void {
  db.prepare('UPDATE executions SET pause_requested = ? WHERE id = ?').run(paused ? 1 : 0, id);
}

export function requestCancelRow(db: Db, id: number, reason: string): void {
  db.prepare('UPDATE executions SET cancel_requested = ? WHERE id = ?').run(reason, id);
}

/** Ends an execution nobody runs any more (an orphaned pause) as cancelled, in one transaction. */
export function cancelOrphan(db: Db, id: number, reason: string): void {
  db.transaction(() => {
    const now = Date.now();
    closeOpenStepRuns(db, id, 'cancelled', reason, now);
    db.prepare(`UPDATE executions SET status = 'cancelled', error = ?, finished_at = ?, cancel_requested = ? WHERE id = ?`).run(reason, now, reason, id);
    releaseHolds(db, id, now);
  })();
}

/**
 * Makes this process the owner of an ended (or orphaned paused) execution so it can go on:
 * back to `queued`, requests cleared. Conditional, so two processes cannot both adopt it.
 */
export function adoptExecution(db: Db, id: number, owner: { pid: number; host: string }): boolean {
  const now = Date.now();
  return (
    db
      .prepare(
        `UPDATE executions SET status = 'queued', owner_pid = ?, owner_host = ?, heartbeat_at = ?, pause_requested = 0, cancel_requested = NULL,
                error = NULL, finished_at = NULL, resumed_at = ?
         WHERE id = ? AND (status IN ('failed', 'cancelled', 'interrupted') OR (status = 'paused' AND owner_pid IS NULL))`,
      )
      .run(owner.pid, owner.host, now, now, id).changes > 0
  );
}

