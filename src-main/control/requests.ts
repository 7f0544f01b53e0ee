import { FlowdeckError } from '../../src-shared/errors';
import { finishedExecutionStatuses, type ApprovalView, type ExecutionStatus } from '../../src-shared/domain/execution';
import type { EngineDeps } from '../engine/context';
import { ownerAlive } from '../engine/ownership';
import { cancelOrphan, controlRow, decideApproval, getApproval, oldestPendingApproval, requestCancelRow, requestPauseRow, type ControlRow } from '../store/control-queries';
import { markInterrupted } from '../store/execution-queries';
import { Redactor } from '../secrets/redact';

/**
 * Control requests any process can make: a CLI command in a second
 * terminal, the console, the desktop app. They are written to the execution's row; the
 * process that runs it follows within a tick (control-hub.ts). An execution nobody runs any
 * more (its process died while it was paused) is handled here directly.
 */

function load(deps: EngineDeps, id: number): ControlRow {
  const row = controlRow(deps.db, id);
  if (!row) throw new FlowdeckError('not-found', `unknown execution ${id}`);
  return row;
}

const ended = (row: ControlRow): boolean => finishedExecutionStatuses.includes(row.status);

function status(deps: EngineDeps, id: number): ExecutionStatus {
  return load(deps, id).status;
}

/** No new step run starts; running ones finish. Answers the status right after (still `running` until the owner sees it). */
export function requestPause(deps: EngineDeps, id: number): ExecutionStatus {
  const row = load(deps, id);
  if (ended(row)) throw new FlowdeckError('conflict', `execution #${id} has already ended (${row.status}); there is nothing to pause`);
  if (!ownerAlive(row) && row.status !== 'paused') {
    markInterrupted(deps.db, id, `interrupted: the process that ran it (pid ${row.ownerPid ?? '?'}) is gone`);
    throw new FlowdeckError('conflict', `execution #${id} was not running any more (its process is gone); it is now marked interrupted and can be resumed`);
  }
  requestPauseRow(deps.db, id, true);
  deps.control.poke();
  return status(deps, id);
}

/** Running commands are killed. A paused execution nobody runs any more ends at once. */
export function requestCancel(deps: EngineDeps, id: number, reason = 'cancelled by the operator'): ExecutionStatus {
  const row = load(deps, id);
  if (ended(row)) throw new FlowdeckError('conflict', `execution #${id} has already ended (${row.status}); there is nothing to cancel`);
  requestCancelRow(deps.db, id, reason);
  if (!ownerAlive(row)) cancelOrphan(deps.db, id, reason);
  deps.control.poke();
  return status(deps, id);
}

export type ResumeRequest = { lifted: true; status: ExecutionStatus } | { lifted: false };

/**
 * Lifts a pause the owner still follows (`lifted`). Otherwise (the execution failed, was
 * cancelled or interrupted, or its process died while paused) the caller must adopt and
 * continue it itself: control/resume.ts.
 */
export function requestResume(deps: EngineDeps, id: number): ResumeRequest {
  const row = load(deps, id);
  if (row.status === 'succeeded') throw new FlowdeckError('conflict', `execution #${id} succeeded; there is nothing to resume`);
  // An ended execution keeps its last owner on record (a live console, say): that owner no longer follows it.
  const live = !ended(row) && ownerAlive(row);
  if (live && (row.status === 'paused' || row.pauseRequested)) {
    requestPauseRow(deps.db, id, false);
    deps.control.poke();
    return { lifted: true, status: status(deps, id) };
  }
  if (live) throw new FlowdeckError('conflict', `execution #${id} is ${row.status} and not paused; there is nothing to resume`);
  if (row.status === 'queued' || row.status === 'running') markInterrupted(deps.db, id, `interrupted: the process that ran it (pid ${row.ownerPid ?? '?'}) is gone`);
  return { lifted: false };
}

/** Answers the execution's oldest open approval as the operator of this process. */
export function answerApproval(deps: EngineDeps, id: number, decision: 'approve' | 'reject', comment?: string): ApprovalView {
  const row = load(deps, id);
  const pending = oldestPendingApproval(deps.db, id);
  if (!pending) {
    throw new FlowdeckError('conflict', `execution #${id} (${row.status}) is not waiting for an approval`);
  }
  // A comment lands in the history and in every window: a pasted secret is masked like in a log.
  const secrets = deps.secrets?.() ?? [];
  const note = comment === undefined ? null : secrets.length ? new Redactor(secrets).redactAll(comment) : comment;
  if (!decideApproval(deps.db, pending.id, decision === 'approve' ? 'approved' : 'rejected', deps.operator, note)) {
    throw new FlowdeckError('conflict', `the approval for step "${pending.step}" of execution #${id} was answered or withdrawn meanwhile`);
  }
  deps.control.poke();
  return getApproval(deps.db, pending.id) as ApprovalView;
}
