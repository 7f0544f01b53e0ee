import type { ExecutionStatus, ExecutionSummary, StepRunRecord } from '../../../src-shared/domain/execution';

/**
 * Which control buttons an execution offers, from its status alone, so the bar never offers
 * what main would refuse (main checks again: another process may have moved it meanwhile).
 */
export interface Controls {
  pause: boolean;
  /** Lift a pause (or a pause still being asked for). */
  unpause: boolean;
  cancel: boolean;
  /** A new execution on the failed and not-run elements. */
  retry: boolean;
  /** The same execution again, from the failed step on the failed elements. */
  resumeFromFailure: boolean;
}

const live: readonly ExecutionStatus[] = ['queued', 'running', 'paused'];
const endedBadly: readonly ExecutionStatus[] = ['failed', 'cancelled', 'interrupted'];

export function controlsFor(s: Pick<ExecutionSummary, 'status' | 'pauseRequested'>): Controls {
  const isLive = live.includes(s.status);
  const pausing = s.status === 'paused' || (isLive && s.pauseRequested);
  return {
    pause: isLive && !pausing,
    unpause: pausing,
    cancel: isLive,
    retry: endedBadly.includes(s.status),
    resumeFromFailure: endedBadly.includes(s.status),
  };
}

export type PauseState =
  /** Asked to pause; step runs already going finish first. */
  | { kind: 'pausing'; stillRunning: number }
  | { kind: 'paused' }
  | null;

/** An approval step waiting for its answer "runs" too, but a pause does not wait for it. */
export function isAwaitingApproval(run: Pick<StepRunRecord, 'kind' | 'status'>): boolean {
  return run.kind === 'approval' && run.status === 'running';
}

export function pauseStateOf(s: Pick<ExecutionSummary, 'status' | 'pauseRequested'>, runs: Iterable<StepRunRecord>): PauseState {
  if (s.status === 'paused') return { kind: 'paused' };
  if (!s.pauseRequested || !live.includes(s.status)) return null;
  let stillRunning = 0;
  for (const r of runs) if (r.status === 'running' && !isAwaitingApproval(r)) stillRunning++;
  return { kind: 'pausing', stillRunning };
}
