import type { NormalizedStep } from '../../src-shared/domain/flow';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import type { Db } from '../store/db';
import { priorStepRuns, stepOutput } from '../store/resume-queries';
import { CAPTURE_LIMIT, type StepResult } from './step-result';

/** Why a step run was recorded `skipped`: its `when` was false (done), or an earlier step failed (still to do). */
export type SkipReason = 'when' | 'after-failure';

export interface PriorRun {
  status: StepRunStatus;
  exitCode: number | null;
  stepRunId: number;
  skipReason: SkipReason | null;
}

/**
 * What an execution already did, for "resume" (the same execution goes on from the failed
 * step) and "retry failed" (which elements still need running): the last attempt of each
 * element x step path, and how many attempts each had.
 */
export class ResumeState {
  readonly last = new Map<string, PriorRun>();
  readonly attempts = new Map<string, number>();

  static key(element: string, path: string): string {
    return `${element}\u0000${path}`;
  }

  static load(db: Db, executionId: number): ResumeState {
    const state = new ResumeState();
    for (const r of priorStepRuns(db, executionId)) {
      const key = ResumeState.key(r.element, r.path);
      state.attempts.set(key, Math.max(state.attempts.get(key) ?? 0, r.attempt));
      const skipReason: SkipReason | null = r.status === 'skipped' ? (r.skipped === 'when' ? 'when' : 'after-failure') : null;
      state.last.set(key, { status: r.status, exitCode: r.exitCode, stepRunId: r.id, skipReason });
    }
    return state;
  }

  /** Whether the step needs no new run on this element: it succeeded, its `when` was false, or it failed with continueOnError. */
  isDone(element: string, path: string, step: NormalizedStep): boolean {
    const prior = this.last.get(ResumeState.key(element, path));
    if (!prior) return false;
    if (prior.status === 'succeeded') return true;
    if (prior.status === 'skipped') return prior.skipReason === 'when';
    return (prior.status === 'failed' || prior.status === 'timed-out') && step.continueOnError === true;
  }

  attemptsOf(element: string, path: string): number {
    return this.attempts.get(ResumeState.key(element, path)) ?? 0;
  }

  /** `steps.<id>` as the earlier run left it, so later `when`s and templates see the same values. */
  resultOf(db: Db, element: string, path: string): StepResult | undefined {
    const prior = this.last.get(ResumeState.key(element, path));
    if (!prior) return undefined;
    const text = stepOutput(db, prior.stepRunId, CAPTURE_LIMIT);
    return { status: prior.status, exitCode: prior.exitCode, stdout: text.stdout, stderr: text.stderr, json: null };
  }
}
