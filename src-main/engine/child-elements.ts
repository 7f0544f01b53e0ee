import { FlowdeckError } from '../../src-shared/errors';
import type { FlowCallStep, FlowDocument } from '../../src-shared/domain/flow';
import type { JsonObject, JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import type { Sandbox } from '../sandbox';
import { selectTargets } from './targets';

/**
 * Which elements a `flow` step gives its child (docs/semantics.md): those it was given
 * (the serial parent's element, the parallel batch's running ones), or `own` targets, or what
 * the `elements:` expression names. One rule for the executor and the dry run; an id that is
 * not in the inventory is an error, never silently dropped.
 */
export async function childElements(
  sandbox: Sandbox,
  inventory: ReadonlyMap<string, ResolvedElement>,
  step: FlowCallStep,
  child: FlowDocument,
  given: ResolvedElement[],
  vars: () => Record<string, JsonValue | undefined>,
  where: string,
): Promise<ResolvedElement[]> {
  if (step.elements === undefined) return given;
  if (step.elements.trim() === 'own') return selectTargets(sandbox, [...inventory.values()], child.targets, child.id);
  const value = await sandbox.evaluate(step.elements, vars(), { name: `${where}.elements` });
  return (Array.isArray(value) ? value : [value]).map((item) => {
    const id = typeof item === 'string' ? item : item && typeof item === 'object' && !Array.isArray(item) ? (item as JsonObject).id : undefined;
    const el = typeof id === 'string' ? inventory.get(id) : undefined;
    if (!el) throw new FlowdeckError('invalid-input', `${where}.elements gave ${JSON.stringify(item)}, which is not an element of the inventory`);
    return el;
  });
}
