import { FlowdeckError } from '../../src-shared/errors';
import { getPath } from '../../src-shared/context/merge';
import type { Targets } from '../../src-shared/domain/flow';
import { toScriptElement, type JsonObject, type JsonValue, type ResolvedElement } from '../../src-shared/domain/inventory';
import type { Sandbox } from '../sandbox';

function sameValue(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === undefined) return false;
  // `port: 5432` in a filter matches a context holding "5432" too: inventories mix both.
  if (typeof a !== 'object' && typeof b !== 'object') return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Targets -> matching enabled elements, in inventory order (SPEC 4 "Plan"). */
export function selectTargets(sandbox: Sandbox, inventory: readonly ResolvedElement[], targets: Targets, flowId: string): ResolvedElement[] {
  const byId = new Map(inventory.map((e) => [e.id, e]));
  for (const id of targets.elements ?? []) {
    if (!byId.has(id)) throw new FlowdeckError('not-found', `flow "${flowId}" targets unknown element "${id}"`);
  }
  return inventory.filter((e) => {
    if (!e.enabled) return false;
    if (targets.elements && !targets.elements.includes(e.id)) return false;
    if (targets.profile && e.profile !== targets.profile) return false;
    if (targets.groups && targets.groups.length > 0 && !targets.groups.some((g) => e.groups.includes(g))) return false;
    for (const [key, want] of Object.entries(targets.filters ?? {})) {
      if (!sameValue(getPath(e.context, key), want)) return false;
    }
    if (targets.expression) {
      const vars = { element: toScriptElement(e) as unknown as JsonObject };
      if (!sandbox.evaluate(targets.expression, vars, { name: `flow "${flowId}" targets.expression` })) return false;
    }
    return true;
  });
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
export function applyProcessing(
  sandbox: Sandbox,
  flow: { id: string; processing: string },
  elements: ResolvedElement[],
  params: Record<string, JsonValue>,
): ResolvedElement[] {
  if (!flow.processing.trim()) return elements;
  const byId = new Map(elements.map((e) => [e.id, e]));
  const out = sandbox.runProcessing(flow.processing, { elements: elements.map(toScriptElement), params }, { name: `${flow.id}.processing` });
  return out.map((s) => byId.get(s.id) as ResolvedElement);
}
