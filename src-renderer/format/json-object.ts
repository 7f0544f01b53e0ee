import type { JsonObject, JsonValue } from '../../src-shared/domain/inventory';
import { jsonProblem } from './json-problem';

/** One row of the key/value view of a JSON object. */
export interface KeyValueRow {
  key: string;
  /** As typed: JSON when it parses as JSON (5, true, [1, 2], "quoted"), plain text otherwise. */
  value: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A JSON object from its text ('' is {}), or where and why it is not one. */
export function parseJsonObject(text: string): Parsed<JsonObject> {
  const src = text.trim() === '' ? '{}' : text;
  const p = jsonProblem(src);
  if (p) return { ok: false, problem: `${p.line}:${p.column}: ${p.message}` };
  const value = JSON.parse(src) as JsonValue;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'must be a JSON object ({ ... })' };
  return { ok: true, value };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a value shows in a row. A string that would read back as something else (`5`, `true`)
 * is shown quoted, so editing a row never turns "5" into 5 behind the operator's back.
 */
export function rowValueOf(v: JsonValue): string {
  if (typeof v === 'string' && !parsesAsJson(v)) return v;
  return JSON.stringify(v);
}

export function rowsOf(obj: JsonObject): KeyValueRow[] {
  return Object.entries(obj).map(([key, v]) => ({ key, value: rowValueOf(v) }));
}

/** The object the rows describe; blank rows are ignored, a value with no key or a key twice is refused. */
export function objectOf(rows: readonly KeyValueRow[]): Parsed<JsonObject> {
  const out: JsonObject = {};
  for (const [i, r] of rows.entries()) {
    const key = r.key.trim();
    if (key === '' && r.value.trim() === '') continue;
    if (key === '') return { ok: false, problem: `row ${i + 1}: the value "${r.value}" has no key` };
    if (Object.hasOwn(out, key)) return { ok: false, problem: `row ${i + 1}: "${key}" is already set above` };
    const text = r.value.trim();
    out[key] = text !== '' && parsesAsJson(text) ? (JSON.parse(text) as JsonValue) : r.value;
  }
  return { ok: true, value: out };
}

/** The object as the JSON view shows it. */
export function jsonTextOf(obj: JsonObject): string {
  return JSON.stringify(obj, null, 2);
}
