import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { FlowScope } from './context';

/** The failures counted in the batch being run now (maxFailPercent counts per batch, as Ansible's). */
export interface BatchTally {
  size: number;
  failed: number;
}

/** No new step starts once this scope, an enclosing one, or the whole execution is stopping. */
export function isStopping(scope: FlowScope): boolean {
  if (scope.ctx.cancel.signal.aborted) return true;
  for (let s: FlowScope | null = scope; s; s = s.up) if (s.stopping) return true;
  return false;
}

function stopScope(scope: FlowScope, reason: string): void {
  if (scope.stopping) return;
  scope.stopping = true;
  scope.stopReason = reason;
  // failFast: siblings still running are cancelled now rather than allowed to finish.
  if (scope.flow.failFast) scope.abort.abort({ kind: 'fail-fast', message: `cancelled by failFast: ${reason}` });
}

/** Applies the flow's failure policy after `element` failed a step (retries already spent). */
export function elementFailed(scope: FlowScope, element: ResolvedElement, step: string, tally: BatchTally): void {
  if (scope.failedElements.has(element.id)) return;
  scope.failedElements.add(element.id);
  tally.failed++;
  const what = `element "${element.id}" failed at step "${scope.prefix}${step}"`;
  if (scope.flow.onFailure === 'stop') {
    stopScope(scope, what);
    return;
  }
  // Strictly more than maxFailPercent of the batch, as Ansible's max_fail_percentage.
  if ((tally.failed * 100) / tally.size > scope.flow.maxFailPercent) {
    stopScope(scope, `${tally.failed} of ${tally.size} elements in the batch failed, more than maxFailPercent ${scope.flow.maxFailPercent}% (last: ${what})`);
  }
}
