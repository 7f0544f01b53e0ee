// The element as scripts see it. Apart from the inventory schemas, so the engine can build
// it without loading the schema library.
import type { ResolvedElement, ScriptElement } from './inventory';

export function toScriptElement(e: ResolvedElement): ScriptElement {
  const base: ScriptElement = { id: e.id, name: e.name, host: e.host, groups: e.groups, profile: e.profile ?? null, context: e.context };
  return e.facts === undefined ? base : { ...base, facts: e.facts };
}
