import { FlowdeckError } from '../../src-shared/errors';
import { getPath } from '../../src-shared/context/merge';
import type { Targets } from '../../src-shared/domain/flow';
import type { JsonObject, JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { toScriptElement } from '../../src-shared/domain/script-element';
import type { Sandbox } from '../sandbox';

function sameValue(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === undefined) return false;
  // `port: 5432` in a filter matches a context holding "5432" too: inventories mix both.
  if (typeof a !== 'object' && typeof b !== 'object') return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Targets -> matching enabled elements, in inventory order. */
export async function selectTargets(sandbox: Sandbox, inventory: readonly ResolvedElement[], targets: Targets, flowId: string): Promise<ResolvedElement[]> {
  const byId = new Map(inventory.map((e) => [e.id, e]));
  for (const id of targets.elements ?? []) {
    if (!byId.has(id)) throw new FlowdeckError('not-found', `flow "${flowId}" targets unknown element "${id}"`);
  }
  const matching = inventory.filter((e) => {
    if (!e.enabled) return false;
    if (targets.elements && !targets.elements.includes(e.id)) return false;
    if (targets.profile && e.profile !== targets.profile) return false;
    if (targets.groups && targets.groups.length > 0 && !targets.groups.some((g) => e.groups.includes(g))) return false;
    for (const [key, want] of Object.entries(targets.filters ?? {})) {
      if (!sameValue(getPath(e.context, key), want)) return false;
    }
    return true;
  });
  if (!targets.expression || matching.length === 0) return matching;
  // One round trip to the sandbox for every element, not one per element.
  const varsList = matching.map((e) => ({ element: toScriptElement(e) as unknown as JsonObject }));
  const verdicts = await sandbox.evaluateEach(targets.expression, varsList, { name: `flow "${flowId}" targets.expression` });
  return matching.filter((_, index) => Boolean(verdicts[index]));
}

/** An explicit element list (`run --elements a,b`): every id must exist; order as given. */
export function pickElements(inventory: readonly ResolvedElement[], ids: readonly string[]): ResolvedElement[] {
  const byId = new Map(inventory.map((e) => [e.id, e]));
  return ids.map((id) => {
    const e = byId.get(id);
    if (!e) throw new FlowdeckError('not-found', `unknown element "${id}"`);
    return e;
  });
}

/** Runs the flow's processing script over `elements` (no script: order unchanged). */
export async function applyProcessing(
  sandbox: Sandbox,
  flow: { id: string; processing: string; gather?: string | undefined },
  elements: ResolvedElement[],
  params: Record<string, JsonValue>,
): Promise<ResolvedElement[]> {
  if (!flow.processing.trim()) return elements;
  const byId = new Map(elements.map((e) => [e.id, e]));
  // Before a gather flow's facts exist (the plan, the dry run), `element.facts` is {}, so a
  // script reading `x.facts.role` orders by "unknown" instead of failing.
  const seen = (e: ResolvedElement): ResolvedElement => (flow.gather !== undefined && e.facts === undefined ? { ...e, facts: {} } : e);
  const out = await sandbox.runProcessing(flow.processing, { elements: elements.map((e) => toScriptElement(seen(e))), params }, { name: `${flow.id}.processing` });
  return out.map((s) => byId.get(s.id) as ResolvedElement);
}

/** The targets in the words an operator wrote them, for "matched nothing" errors. */
function describeTargets(targets: Targets): string {
  const parts: string[] = [];
  if (targets.elements) parts.push(`elements [${targets.elements.join(', ')}]`);
  if (targets.profile) parts.push(`profile ${targets.profile}`);
  if (targets.groups && targets.groups.length > 0) parts.push(`groups [${targets.groups.join(', ')}]`);
  const filters = Object.entries(targets.filters ?? {});
  if (filters.length > 0) parts.push(`filters {${filters.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`);
  if (targets.expression) parts.push(`expression ${targets.expression}`);
  return parts.length > 0 ? parts.join(', ') : 'any enabled element';
}

/**
 * A run on no element fails before anything is written, unless the flow says `allowEmpty`:
 * an empty group after a re-import or a typo must not look like a success. `kept` is the
 * count the targets gave, when it was the processing script that dropped them all.
 */
export function refuseEmpty(flow: { id: string; targets: Targets; allowEmpty: boolean }, elements: readonly unknown[], kept?: number): void {
  if (elements.length > 0 || flow.allowEmpty) return;
  const why =
    kept === undefined
      ? `no element matched ${describeTargets(flow.targets)}`
      : `the processing script kept none of the ${kept} element(s) the targets matched`;
  throw new FlowdeckError('invalid-input', `flow "${flow.id}": ${why}; nothing was run (a flow meant to allow this says allowEmpty: true)`);
}
