import { formatError } from '../../src-shared/errors';
import type { FlowCallStep, FlowDocument, NormalizedStep } from '../../src-shared/domain/flow';
import { isFlowCall, stepKindOf } from '../../src-shared/domain/step-kind';
import type { JsonObject, JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { toScriptElement } from '../../src-shared/domain/script-element';
import type { Sandbox } from '../sandbox';
import type { PreparedRun } from './executor';
import { resolveParams } from './params';
import { applyProcessing } from './targets';
import { childElements } from './child-elements';
import { batchesOf, chunk } from './batches';

/** One step on one element in the plan; `when` is shown, not decided (it may read earlier results). */
interface PlannedRun {
  element: string;
  step: string;
  kind: string;
  when?: string;
}

/** Step runs expected to run side by side; waves run one after another. */
type Wave = PlannedRun[];

export interface Plan {
  flow: string;
  version: number;
  mode: FlowDocument['mode'];
  elements: string[];
  params: Record<string, JsonValue>;
  waves: Wave[];
  /** Things the dry run could not decide before running (an `elements:` expression reading results, say). */
  notes: string[];
}

interface PlanCtx {
  sandbox: Sandbox;
  prepared: PreparedRun;
  notes: string[];
}

async function childElementsForPlan(
  pc: PlanCtx,
  flowId: string,
  step: FlowCallStep,
  given: ResolvedElement[],
  prefix: string,
  parentEl: ResolvedElement | null,
): Promise<ResolvedElement[]> {
  const child = pc.prepared.flows.get(step.flow);
  if (!child) return given;
  const vars = (): Record<string, JsonValue | undefined> => {
    const v: Record<string, JsonValue | undefined> = { elements: given.map((e) => toScriptElement(e) as unknown as JsonObject), params: pc.prepared.params };
    if (parentEl) v.element = toScriptElement(parentEl) as unknown as JsonObject;
    return v;
  };
  try {
    return await childElements(pc.sandbox, pc.prepared.inventory, step, child.doc, given, vars, `step "${prefix}${step.id}"`);
  } catch (err) {
    // It may read results of earlier steps, which only a real run has.
    pc.notes.push(`step "${prefix}${step.id}" of flow "${flowId}": elements decided at run time (${formatError(err)})`);
    return given;
  }
}

/** Expands one flow over elements into waves, child flows inlined where they run. */
async function planFlow(pc: PlanCtx, flow: FlowDocument, elements: ResolvedElement[], prefix: string): Promise<Wave[]> {
  const waves: Wave[] = [];
  const runOf = (el: ResolvedElement, s: NormalizedStep): PlannedRun => ({
    element: el.id,
    step: prefix + s.id,
    kind: stepKindOf(s),
    ...(s.when !== undefined ? { when: s.when } : {}),
  });
  const child = async (s: FlowCallStep, given: ResolvedElement[], parentEl: ResolvedElement | null): Promise<Wave[]> => {
    const entry = pc.prepared.flows.get(s.flow);
    if (!entry) return [];
    let childParams: Record<string, JsonValue> = {};
    try {
      childParams = resolveParams(entry.doc, Object.fromEntries(Object.entries(s.params).filter(([, v]) => !(typeof v === 'string' && v.includes('{{')))));
    } catch (err) {
      pc.notes.push(formatError(err));
    }
    const els = await applyProcessing(pc.sandbox, entry.doc, await childElementsForPlan(pc, flow.id, s, given, prefix, parentEl), childParams);
    return [[...given.map((e) => runOf(e, s))], ...(await planFlow(pc, entry.doc, els, `${prefix}${s.id}/`))];
  };
  for (const batch of batchesOf(flow, elements)) {
    if (flow.mode === 'serial') {
      // Elements of a batch go side by side; with a batch of one this is one element after another.
      const perElement: Wave[][] = [];
      for (const el of batch) {
        const own: Wave[] = [];
        for (const s of flow.steps) own.push(...(isFlowCall(s) ? await child(s, [el], el) : [[runOf(el, s)]]));
        perElement.push(own);
      }
      const length = Math.max(...perElement.map((w) => w.length));
      for (let i = 0; i < length; i++) waves.push(perElement.flatMap((w) => w[i] ?? []));
    } else {
      for (const s of flow.steps) {
        if (isFlowCall(s)) waves.push(...(await child(s, batch, null)));
        else for (const group of chunk(batch, flow.concurrency)) waves.push(group.map((el) => runOf(el, s)));
      }
    }
  }
  return waves.filter((w) => w.length > 0);
}

/** The dry run: what would run, on which elements, in which order, touching no host. */
export async function buildPlan(sandbox: Sandbox, prepared: PreparedRun): Promise<Plan> {
  const pc: PlanCtx = { sandbox, prepared, notes: [] };
  const { canary } = prepared.flow;
  const els = prepared.elements;
  // A canary runs as a group of its own, then the run waits for an approval (executor: flow-runner.ts).
  const split = canary !== undefined && canary < els.length;
  const planned = split
    ? [...(await planFlow(pc, prepared.flow, els.slice(0, canary), '')), ...(await planFlow(pc, prepared.flow, els.slice(canary), ''))]
    : await planFlow(pc, prepared.flow, els, '');
  if (split) {
    pc.notes.push(
      `canary: after ${els
        .slice(0, canary)
        .map((e) => e.id)
        .join(', ')} the execution waits for an approval before the other ${els.length - canary} element(s)`,
    );
  }
  if (prepared.flow.gather !== undefined) {
    pc.notes.push(
      prepared.flow.reorderEachBatch
        ? `gather: \`${prepared.flow.gather}\` runs before each batch on the elements not yet run, and the processing script orders them again with those facts: the order is decided per batch; the waves show the order known now`
        : `gather: \`${prepared.flow.gather}\` runs on every element before the first step, and the processing script orders them again with those facts; the waves show the order known now`,
    );
  }
  if (prepared.flow.rateLimit !== undefined) {
    pc.notes.push(`rateLimit: at most ${prepared.flow.rateLimit} step start(s) per second; the waves above start no faster`);
  }
  // The flow-step rows themselves are bookkeeping; the plan shows the work.
  const waves = planned
    .map((w) => w.filter((r) => r.kind !== 'flow'))
    .filter((w) => w.length > 0);
  return {
    flow: prepared.flow.id,
    version: prepared.version,
    mode: prepared.flow.mode,
    elements: prepared.elements.map((e) => e.id),
    params: prepared.params,
    waves,
    notes: pc.notes,
  };
}
