// How deep a context becomes once its dotted keys are expanded (`a.b.c: 1` is three mappings).
// A key of thousands of dots is flat text in any inventory format, INI included, yet the
// effective context built from it is thousands of levels deep: every later walk over it
// (merging, JSON for the console and the CLI, the sandbox) would exhaust the stack. Imports
// refuse it with the same limit as nested YAML.
import type { InventoryDocument, JsonValue } from '../../src-shared/domain/inventory';
import { MAX_NESTING } from '../../src-shared/yaml-limits';

/** Levels of the value once dotted keys are expanded, counted without recursion; stops early past `limit`. */
export function expandedDepth(value: JsonValue, limit = Infinity): number {
  let deepest = 0;
  const stack: Array<[JsonValue, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, above] = stack.pop() as [JsonValue, number];
    if (v === null || typeof v !== 'object') {
      deepest = Math.max(deepest, above);
      continue;
    }
    if (above + 1 > limit) return above + 1;
    if (Array.isArray(v)) {
      deepest = Math.max(deepest, above + 1);
      for (const item of v) stack.push([item, above + 1]);
      continue;
    }
    deepest = Math.max(deepest, above + 1);
    for (const [key, item] of Object.entries(v)) {
      const parts = key.split('.').filter((p) => p !== '').length;
      // `a.b.c: 1` is three mappings, `{ a: { b: { c: 1 } } }`: the outer one is this object.
      const depth = above + Math.max(1, parts);
      if (depth > limit) return depth;
      stack.push([item, depth]);
    }
  }
  return deepest;
}

function shortKey(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** The first profile, group or element whose context nests deeper than MAX_NESTING, as a message. */
export function contextNestingProblem(doc: InventoryDocument): string | null {
  const check = (what: string, field: string, obj: Record<string, JsonValue>): string | null => {
    for (const [key, value] of Object.entries(obj)) {
      if (expandedDepth({ [key]: value }, MAX_NESTING) > MAX_NESTING) {
        return `${what}: ${field} key "${shortKey(key)}" nests deeper than ${MAX_NESTING} levels once its dotted parts are expanded; Flowdeck reads at most ${MAX_NESTING}`;
      }
    }
    return null;
  };
  for (const p of doc.profiles) {
    const found = check(`profile "${p.id}"`, 'context', p.context);
    if (found) return found;
  }
  for (const g of doc.groups) {
    const found = check(`group "${g.name}"`, 'vars', g.vars);
    if (found) return found;
  }
  for (const e of doc.elements) {
    const found = check(`element "${e.id}"`, 'context', e.context);
    if (found) return found;
  }
  return null;
}
