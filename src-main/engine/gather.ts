import type { NormalizedStep } from '../../src-shared/domain/flow';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { saveBatchOrder } from '../store/batch-order-queries';
import type { ExecutionContext, FlowScope } from './context';
import { elementFailed, isStopping, type BatchTally } from './failure';
import { forEachLimited } from './limiter';
import { applyProcessing } from './targets';
import { recordNotRun, runStep } from './step-runner';

/** The step path of gather runs: not a step of the flow, so it cannot clash with one. */
const GATHER_STEP = '@gather';

/** How many times each element gathered in a scope: its gather runs are numbered as attempts. */
const rounds = new WeakMap<FlowScope, Map<string, number>>();
/** The next batch number per flow path in an execution (a child flow called per element shares its path). */
const batches = new WeakMap<ExecutionContext, Map<string, number>>();

function nextRound(scope: FlowScope, element: string): number {
  let m = rounds.get(scope);
  if (!m) rounds.set(scope, (m = new Map()));
  const n = (m.get(element) ?? 0) + 1;
  m.set(element, n);
  return n;
}

function nextBatch(scope: FlowScope): number {
  let m = batches.get(scope.ctx);
  if (!m) batches.set(scope.ctx, (m = new Map()));
  const n = (m.get(scope.prefix) ?? 0) + 1;
  m.set(scope.prefix, n);
  return n;
}

/** What a gather printed: its JSON, else its trimmed text. */
function factsOf(scope: FlowScope, element: ResolvedElement): JsonValue {
  const result = scope.results.get(element.id)?.[GATHER_STEP];
  if (!result) return null;
  return result.json ?? result.stdout.trim();
}

/**
 * Runs the flow's `gather` command on `elements` side by side (within `concurrency`) and
 * returns those that gathered, each with its `facts`. A failed gather is that element's
 * failure under the flow's rules (its steps are then skipped). Each element's gathers are
 * attempts 1, 2, ... of the step `@gather` (one per batch with `reorderEachBatch`).
 */
export async function gatherFacts(scope: FlowScope, elements: readonly ResolvedElement[]): Promise<ResolvedElement[]> {
  const command = scope.flow.gather;
  if (command === undefined) return [...elements];
  const step = { id: GATHER_STEP, run: command } as NormalizedStep;
  const tally: BatchTally = { size: elements.length, failed: 0 };
  const gathered = new Map<string, ResolvedElement>();
  await forEachLimited(elements, scope.flow.concurrency, async (el) => {
    if (isStopping(scope)) return;
    const verdict = await runStep(scope, el, step, { earlierAttempts: nextRound(scope, el.id) - 1 });
    if (verdict === 'ok') gathered.set(el.id, { ...el, facts: factsOf(scope, el) });
    else if (verdict === 'failed') {
      elementFailed(scope, el, GATHER_STEP, tally);
      for (const s of scope.flow.steps) recordNotRun(scope, el, s, 'skipped', `not run: the gather command failed on this element`, 'after-failure');
    }
  });
  return elements.flatMap((el) => gathered.get(el.id) ?? []);
}

/**
 * The processing script orders the gathered elements again, now with their facts; the order
 * and the facts it was decided on are kept with the execution (the console shows them).
 */
export async function reorder(scope: FlowScope, gathered: ResolvedElement[]): Promise<ResolvedElement[]> {
  const ordered = await applyProcessing(scope.ctx.deps.sandbox, scope.flow, gathered, scope.params);
  const batch = nextBatch(scope);
  saveBatchOrder(scope.ctx.deps.db, {
    executionId: scope.ctx.executionId,
    path: scope.prefix,
    batch,
    elements: ordered.map((e) => e.id),
    facts: Object.fromEntries(ordered.map((e) => [e.id, e.facts ?? null])),
    decidedAt: Date.now(),
  });
  scope.ctx.deps.events.emit('batchOrder', { executionId: scope.ctx.executionId, path: scope.prefix, batch });
  return ordered;
}
