import type { JsonValue } from './inventory';

export const executionStatuses = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** @public The list the type below is made from. */
export const stepRunStatuses = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'timed-out',
  'skipped',
  'cancelled',
  'interrupted',
] as const;
export type StepRunStatus = (typeof stepRunStatuses)[number];

export const finishedExecutionStatuses: readonly ExecutionStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export type ExecutionTrigger = 'manual' | 'cli' | 'schedule' | 'retry' | 'api' | 'http';

export type LogStream = 'stdout' | 'stderr' | 'system';

export interface ExecutionSummary {
  id: number;
  flow: string;
  flowVersion: number;
  status: ExecutionStatus;
  trigger: ExecutionTrigger;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  params: Record<string, unknown>;
  /** Set when the execution was started from another one (retry failed). */
  originId: number | null;
  priority: number;
  /** The schedule that started it, if one did. */
  scheduleId: number | null;
  /** The HTTP trigger that started it, if one did (trigger `http`). */
  triggerId: string | null;
  /** Someone asked for a pause; the owner stops starting step runs (status `paused` once it has). */
  pauseRequested: boolean;
  /** Last time "resume" continued it after it had ended (failed, cancelled, interrupted). */
  resumedAt: number | null;
  labels: Record<string, string[]>;
  /** How many approval steps wait for an answer right now. */
  pendingApprovals: number;
}

/** @public The list the type below is made from. */
export const approvalStatuses = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** An `approval` step waiting for (or given) an operator's answer. */
/**
 * The order a flow with `gather` decided for a batch (with `reorderEachBatch`, before each
 * batch, over the elements not yet run), and each element's facts it was decided on.
 */
export interface BatchOrderView {
  /** `''` at the root, `F2/` in the child flow called by step F2. */
  path: string;
  /** 1 for the order decided before the first batch. */
  batch: number;
  elements: string[];
  facts: Record<string, JsonValue>;
  decidedAt: number;
}

export interface ApprovalView {
  id: number;
  executionId: number;
  step: string;
  /** The element it was asked for in a serial flow; null when one answer covers a batch. */
  element: string | null;
  message: string;
  status: ApprovalStatus;
  requestedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  comment: string | null;
}

export interface StepRunRecord {
  id: number;
  executionId: number;
  element: string;
  /** `F2/B` for step B of the child flow called by step F2. */
  step: string;
  kind: string;
  attempt: number;
  status: StepRunStatus;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** The runner that ran the command (an element with a zone); absent when the owning process ran it. */
  runner?: string;
}

/** The shape `executions show ID --json` and `run --json` print (the README's CLI contract). */
export interface ExecutionReport {
  id: number;
  flow: string;
  flowVersion: number;
  status: ExecutionStatus;
  trigger: ExecutionTrigger;
  params: Record<string, unknown>;
  error: string | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  elements: string[];
  runs: Array<{
    element: string;
    step: string;
    kind: string;
    attempt: number;
    status: StepRunStatus;
    exitCode: number | null;
    error: string | null;
    startedAt: number | null;
    finishedAt: number | null;
    runner?: string;
  }>;
}
