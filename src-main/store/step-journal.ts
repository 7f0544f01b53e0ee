import type { StepRunRecord, StepRunStatus } from '../../src-shared/domain/execution';
import type { Db } from './db';
import { finishStepRun, insertStepRun, type NewStepRun, type StepRunOutcome } from './execution-queries';

/** Who and what a step run is: the part of its row every state shares. */
type Identity = Pick<NewStepRun, 'executionId' | 'element' | 'step' | 'kind' | 'attempt'>;

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
    ended(id: number, run: Identity, startedAt: number, end: StepRunOutcome): void {
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
