import type { NormalizedStep } from '../../src-shared/domain/flow';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import type { Db } from '../store/db';
import type { StepResult } from './context';
import { CAPTURE_LIMIT } from './run-action';

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
    const rows = db
      .prepare('SELECT id, element_id, step_path, attempt, status, exit_code, result FROM step_runs WHERE execution_id = ? ORDER BY id')
      .all(executionId) as Array<{ id: number; element_id: string; step_path: string; attempt: number; status: StepRunStatus; exit_code: number | null; result: string | null }>;
    for (const r of rows) {
      const key = ResumeState.key(r.element_id, r.step_path);
      state.attempts.set(key, Math.max(state.attempts.get(key) ?? 0, r.attempt));
      let skipReason: SkipReason | null = null;
      if (r.status === 'skipped') {
        const result = r.result ? (JSON.parse(r.result) as { skipped?: SkipReason }) : {};
        skipReason = result.skipped ?? 'after-failure';
      }
      state.last.set(key, { status: r.status, exitCode: r.exit_code, stepRunId: r.id, skipReason });
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
    const text = { stdout: '', stderr: '' };
    const chunks = db.prepare(`SELECT stream, data FROM log_chunks WHERE step_run_id = ? AND stream != 'system' ORDER BY id`).iterate(prior.stepRunId) as IterableIterator<{
      stream: 'stdout' | 'stderr';
      data: string;
    }>;
    for (const c of chunks) {
      if (text[c.stream].length < CAPTURE_LIMIT) text[c.stream] += c.data.slice(0, CAPTURE_LIMIT - text[c.stream].length);
    }
    return { status: prior.status, exitCode: prior.exitCode, stdout: text.stdout, stderr: text.stderr, json: null };
  }
}
