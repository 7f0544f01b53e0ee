import type { StepRunRecord, StepRunStatus } from '../../src-shared/domain/execution';
import type { Db } from './db';
import { finishStepRun, insertStepRun } from './execution-queries';

interface Identity {
  executionId: number;
  element: string;
  step: string;
  kind: string;
  attempt: number;
}

interface End {
  status: StepRunStatus;
  exitCode?: number | null;
  signal?: string | null;
  error?: string | null;
  result?: unknown;
  finishedAt: number;
}

/**
 * The engine's step journal on SQLite: every step run is a row from the moment it starts,
 * and every change is announced (`announce`) once it is committed.
 */
export function sqliteStepJournal(db: Db, announce: (run: StepRunRecord) => void) {
  return {
    started(run: Identity, startedAt: number): number {
      const id = insertStepRun(db, { ...run, status: 'running', startedAt });
      announce({ id, ...run, status: 'running', exitCode: null, signal: null, error: null, startedAt, finishedAt: null });
      return id;
    },
    ended(id: number, run: Identity, startedAt: number, end: End): void {
      finishStepRun(db, id, end);
      announce({ id, ...run, status: end.status, exitCode: end.exitCode ?? null, signal: end.signal ?? null, error: end.error ?? null, startedAt, finishedAt: end.finishedAt });
    },
    notRun(run: Identity, status: StepRunStatus, reason: string, result: unknown): number {
      const finishedAt = Date.now();
      const id = insertStepRun(db, { ...run, status, startedAt: null, finishedAt, error: reason, result });
      announce({ id, ...run, status, exitCode: null, signal: null, error: reason, startedAt: null, finishedAt });
      return id;
    },
  };
}
