import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { listApprovals } from '../store/control-queries';
import { askOperator } from './approval-step';
import type { FlowScope } from './context';

/** The approval's step path: not a step of the flow, so it cannot clash with one. */
const CANARY_STEP = '@canary';

/**
 * After the canary elements ran: any of them failed -> the rest never starts; otherwise the
 * operator approves the rest (from any process) or rejects it, which fails the execution.
 * A resumed execution that was already approved past its canary is not asked again.
 */
export async function canaryPassed(scope: FlowScope, canary: ResolvedElement[], rest: number): Promise<boolean> {
  const { ctx } = scope;
  const failed = canary.filter((e) => scope.failedElements.has(e.id));
  if (failed.length > 0) {
    scope.stopping = true;
    scope.stopReason = `canary failed on ${failed.map((e) => e.id).join(', ')}; the other ${rest} element(s) were not started`;
    return false;
  }
  if (listApprovals(ctx.deps.db, ctx.executionId).some((a) => a.step === CANARY_STEP && a.status === 'approved')) return true;
  const stop = scope.abort.signal;
  await ctx.gate.pass(stop);
  if (stop.aborted) return false;
  const { answer } = await askOperator(ctx, {
    step: CANARY_STEP,
    element: null,
    message: `canary: ${canary.map((e) => e.id).join(', ')} finished; run the other ${rest} element(s)?`,
    stop,
    onAsked: () => undefined,
  });
  if (answer?.status === 'approved') return true;
  if (answer?.status === 'rejected') {
    scope.stopping = true;
    scope.stopReason = `canary rejected by ${answer.decidedBy ?? '?'}${answer.comment ? `: ${answer.comment}` : ''}; the other ${rest} element(s) were not started`;
  }
  return false;
}
