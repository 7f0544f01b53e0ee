import type { JsonObject, JsonValue } from '../domain/inventory';

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turns `{ 'a.b': 1 }` into `{ a: { b: 1 } }`, recursively; later keys win. */
export function expandDottedKeys(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(obj)) {
    const value = isObject(raw) ? expandDottedKeys(raw) : raw;
    const path = key.split('.').filter((p) => p.length > 0);
    if (path.length === 0) continue;
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (!isObject(next)) node[part] = {};
      node = node[part] as JsonObject;
    }
    const last = path[path.length - 1] as string;
    const prev = node[last];
    node[last] = isObject(prev) && isObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

/** Objects merge key by key; anything else (arrays included) is replaced by the higher layer. */
export function deepMerge(low: JsonObject, high: JsonObject): JsonObject {
  const out: JsonObject = { ...low };
  for (const [key, value] of Object.entries(high)) {
    const prev = out[key];
    out[key] = isObject(prev) && isObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

/** Reads `a.b.c` from a context; undefined when any part is missing. */
export function getPath(obj: JsonObject, dotted: string): JsonValue | undefined {
  let node: JsonValue | undefined = obj;
  for (const part of dotted.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}
