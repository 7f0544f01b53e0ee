export const executionStatuses = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

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

export type ExecutionTrigger = 'manual' | 'cli' | 'schedule' | 'retry' | 'api';

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
}

export interface LogChunk {
  stepRunId: number;
  seq: number;
  stream: LogStream;
  ts: number;
  data: string;
}

/** The shape `executions show ID --json` and `run --json` print (SPEC 9). */
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
  }>;
}
