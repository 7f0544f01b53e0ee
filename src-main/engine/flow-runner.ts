import type { NormalizedStep } from '../../src-shared/domain/flow';
import { isApproval, isFlowCall } from '../../src-shared/domain/step-kind';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { FlowScope } from './context';
import { elementFailed, isStopping, type BatchTally } from './failure';
import { forEachLimited, sleep } from './limiter';
import { recordNotRun, runStep, type StepVerdict } from './step-runner';
import { runChildStep } from './child-flow';
import { runApprovalStep } from './approval-step';
import { batchesOf, batchSizeOf } from './batches';
import { gatherFacts, reorder } from './gather';
import { canaryPassed } from './canary';

/** After a failure the element's remaining steps are `skipped`, so the grid shows why they never ran. */
function skipRest(scope: FlowScope, element: ResolvedElement, from: number, failedStep: string): void {
  for (const step of scope.flow.steps.slice(from)) {
    recordNotRun(scope, element, step, 'skipped', `not run: step "${scope.prefix}${failedStep}" failed on this element`, 'after-failure');
  }
}

function settle(scope: FlowScope, element: ResolvedElement, index: number, verdict: StepVerdict | undefined, tally: BatchTally): boolean {
  const step = scope.flow.steps[index] as NormalizedStep;
  if (verdict === 'failed') {
    elementFailed(scope, element, step.id, tally);
    skipRest(scope, element, index + 1, step.id);
    return false;
  }
  return verdict === 'ok';
}

/** Serial mode: one element goes through all its steps. */
async function runElementThrough(scope: FlowScope, element: ResolvedElement, tally: BatchTally): Promise<void> {
  const steps = scope.flow.steps;
  for (let i = 0; i < steps.length; i++) {
    if (isStopping(scope)) return;
    const step = steps[i] as NormalizedStep;
    const verdict = isFlowCall(step)
      ? (await runChildStep(scope, step, [element], element, runFlowScope)).get(element.id)
      : isApproval(step)
        ? (await runApprovalStep(scope, step, [element], element)).get(element.id)
        : await runStep(scope, element, step);
    if (!settle(scope, element, i, verdict, tally)) return;
  }
  scope.finished.add(element.id);
}

/** Parallel mode: one step across the batch (at most `concurrency` at once), then the next step. */
async function runBatchStepwise(scope: FlowScope, batch: ResolvedElement[], tally: BatchTally): Promise<void> {
  const steps = scope.flow.steps;
  let active = batch;
  for (let i = 0; i < steps.length && active.length > 0; i++) {
    if (isStopping(scope)) return;
    const step = steps[i] as NormalizedStep;
    const going: ResolvedElement[] = [];
    if (isFlowCall(step) || isApproval(step)) {
      // A child flow (or an approval) is one step of the parent and a point where the batch waits for each other.
      const verdicts = isFlowCall(step) ? await runChildStep(scope, step, active, null, runFlowScope) : await runApprovalStep(scope, step, active, null);
      for (const el of active) if (settle(scope, el, i, verdicts.get(el.id), tally)) going.push(el);
    } else {
      const passed = new Set<string>();
      await forEachLimited(active, scope.flow.concurrency, async (el) => {
        if (isStopping(scope)) return;
        // Settled as soon as it ends, so a failure stops (or fail-fasts) the siblings at once.
        if (settle(scope, el, i, await runStep(scope, el, step), tally)) passed.add(el.id);
      });
      for (const el of active) if (passed.has(el.id)) going.push(el);
    }
    active = going;
  }
  for (const el of active) scope.finished.add(el.id);
}

/** One batch: its elements side by side through all steps (serial), or step by step across it (parallel). */
async function runBatch(scope: FlowScope, batch: ResolvedElement[]): Promise<void> {
  const tally: BatchTally = { size: batch.length, failed: 0 };
  if (scope.flow.mode === 'serial') await forEachLimited(batch, scope.flow.concurrency, (el) => runElementThrough(scope, el, tally));
  else await runBatchStepwise(scope, batch, tally);
}

/** `delayBetweenBatches` before every batch but the first; false if the scope stopped meanwhile. */
async function pause(scope: FlowScope, firstBatch: boolean): Promise<boolean> {
  if (isStopping(scope)) return false;
  if (!firstBatch && scope.flow.delayBetweenBatches > 0) await sleep(scope.flow.delayBetweenBatches * 1000, scope.abort.signal);
  return !isStopping(scope);
}

/** Runs `elements` in batches, then serial or parallel within each batch. */
async function runBatches(scope: FlowScope, elements: ResolvedElement[], first: boolean): Promise<void> {
  if (scope.flow.reorderEachBatch) return runReorderedBatches(scope, elements, first);
  const batches = batchesOf(scope.flow, elements);
  for (let b = 0; b < batches.length; b++) {
    if (!(await pause(scope, first && b === 0))) return;
    await runBatch(scope, batches[b] as ResolvedElement[]);
  }
}

/**
 * `reorderEachBatch`: before each batch (but the first, ordered just before), `gather` runs on
 * the elements not yet run and the processing script orders them again; the next batch is
 * taken from that order. `elements` (what `current` and `last` count in) becomes the elements
 * already run, in their order, then the new order of the rest.
 */
async function runReorderedBatches(scope: FlowScope, elements: ResolvedElement[], first: boolean): Promise<void> {
  const size = batchSizeOf(scope.flow, elements.length);
  const done = scope.elements.filter((e) => !elements.some((x) => x.id === e.id));
  let remaining = elements;
  for (let b = 0; remaining.length > 0; b++) {
    if (!(await pause(scope, first && b === 0))) return;
    if (b > 0 || !first) {
      remaining = await reorder(scope, await gatherFacts(scope, remaining));
      scope.elements = [...done, ...remaining];
      if (isStopping(scope) || remaining.length === 0) return;
    }
    const batch = remaining.slice(0, size);
    remaining = remaining.slice(size);
    await runBatch(scope, batch);
    done.push(...batch);
  }
}

/**
 * Walks one flow over its elements. A flow with `gather` first gathers every element's facts
 * and lets the processing script order them with those; at the root, a `canary` runs first
 * and waits for an approval of the rest.
 */
export async function runFlowScope(scope: FlowScope): Promise<void> {
  const { flow } = scope;
  if (scope.elements.length === 0) return;
  if (flow.gather !== undefined) {
    scope.elements = await reorder(scope, await gatherFacts(scope, scope.elements));
    if (isStopping(scope) || scope.elements.length === 0) return;
  }
  const canary = scope.depth === 0 ? flow.canary : undefined;
  if (canary === undefined || canary >= scope.elements.length) return runBatches(scope, scope.elements, true);
  const first = scope.elements.slice(0, canary);
  await runBatches(scope, first, true);
  if (isStopping(scope)) return;
  if (!(await canaryPassed(scope, first, scope.elements.length - canary))) return;
  await runBatches(scope, scope.elements.slice(canary), false);
}
