import type { StepRunStatus } from '../../src-shared/domain/execution';

/** Who and what a step run is: the part of its record every state shares. */
export interface StepRunIdentity {
  executionId: number;
  element: string;
  /** `F2/B` for step B of the child flow called by step F2. */
  step: string;
  kind: string;
  attempt: number;
}

export interface StepRunEnd {
  status: StepRunStatus;
  exitCode?: number | null;
  signal?: string | null;
  error?: string | null;
  result?: unknown;
  finishedAt: number;
}

/**
 * Where the executor records what happened to each step run, and tells its watchers: the
 * executor decides, the journal records (the store implements it on SQLite, committed as it
 * happens). Tests can give one that only remembers.
 */
export interface StepJournal {
  /** A step run starts now; its id. */
  started(run: StepRunIdentity, startedAt: number): number;
  ended(id: number, run: StepRunIdentity, startedAt: number, end: StepRunEnd): void;
  /** A step run that never started (skipped by `when`, or after a failure); its id. */
  notRun(run: StepRunIdentity, status: StepRunStatus, reason: string, result: unknown): number;
}
