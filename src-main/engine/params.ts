import { FlowdeckError } from '../../src-shared/errors';
import type { FlowDocument } from '../../src-shared/domain/flow';
import type { JsonValue } from '../../src-shared/domain/inventory';

/** Coerces a command-line string to the type of the parameter's default, so `--param count=3` is a number when the default is. */
function coerce(value: JsonValue, like: JsonValue | undefined): JsonValue {
  if (typeof value !== 'string' || like === undefined) return value;
  if (typeof like === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof like === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** The run's params: given values checked against the flow's declared params, defaults filled in. */
export function resolveParams(flow: Pick<FlowDocument, 'id' | 'params'>, given: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(given)) {
    if (!flow.params.some((p) => p.name === key)) {
      const known = flow.params.map((p) => p.name).join(', ') || 'none';
      throw new FlowdeckError('invalid-input', `flow "${flow.id}" has no parameter "${key}" (declared: ${known})`);
    }
  }
  for (const p of flow.params) {
    const v = given[p.name];
    if (v !== undefined) out[p.name] = coerce(v, p.default);
    else if (p.default !== undefined) out[p.name] = p.default;
    else if (p.required) throw new FlowdeckError('invalid-input', `flow "${flow.id}" needs parameter "${p.name}" (--param ${p.name}=...)`);
  }
  return out;
}
