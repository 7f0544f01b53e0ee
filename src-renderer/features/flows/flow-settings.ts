import { flowModes, type FlowMode } from '../../../src-shared/domain/flow';
import type { JsonObject, JsonValue } from '../../../src-shared/domain/inventory';
import { rowValueOf } from '../../format/json-object';

/**
 * The settings form's reading of the flow document (what `readFlow` parsed): loose, because the
 * text may hold anything while the operator types; the check panel says what is wrong with it.
 * Also the form's text <-> value rules for controls and param defaults.
 */

/** A value as a form field shows it: text as is, anything else as JSON, nothing as ''. */
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

// ---------------------------------------------------------------------------------------------
// Controls

const NUMBER_CONTROLS = ['concurrency', 'batchSize', 'delayBetweenBatches', 'maxFailPercent', 'timeout', 'canary', 'rateLimit'] as const;
export type NumberControl = (typeof NUMBER_CONTROLS)[number];
const CONTROL_KEYS = [...NUMBER_CONTROLS, 'onFailure', 'failFast', 'allowEmpty', 'gather', 'reorderEachBatch'] as const;
export type ControlKey = (typeof CONTROL_KEYS)[number];

interface NumberRule {
  integer: boolean;
  min: number;
  /** true when the value must be above `min`, not equal to it. */
  exclusiveMin?: boolean;
  max: number;
  unit: string;
}

/** The same bounds as the flow schema (src-shared/domain/flow.ts), said in the operator's words. */
export const NUMBER_RULES: Record<NumberControl, NumberRule> = {
  concurrency: { integer: true, min: 1, max: 1000, unit: 'elements at once' },
  batchSize: { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER, unit: 'elements per batch' },
  delayBetweenBatches: { integer: false, min: 0, max: 24 * 3600, unit: 'seconds' },
  maxFailPercent: { integer: false, min: 0, max: 100, unit: '%' },
  timeout: { integer: false, min: 0, exclusiveMin: true, max: 7 * 24 * 3600, unit: 'seconds' },
  canary: { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER, unit: 'elements first, then an approval' },
  rateLimit: { integer: true, min: 1, max: 10_000, unit: 'step starts per second' },
};

export type ControlParse = { ok: true; value: number | undefined } | { ok: false; problem: string };

/** A number control from its field: '' is "not set" (the default applies), anything invalid says why. */
export function parseNumberControl(key: NumberControl, text: string): ControlParse {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const rule = NUMBER_RULES[key];
  // Number('') and Number('0x10') are numbers too; the operator means decimal digits.
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return { ok: false, problem: `${key} must be a number` };
  const n = Number(t);
  if (rule.integer && !Number.isInteger(n)) return { ok: false, problem: `${key} must be a whole number` };
  if (rule.exclusiveMin ? n <= rule.min : n < rule.min) return { ok: false, problem: `${key} must be ${rule.exclusiveMin ? 'more than' : 'at least'} ${rule.min}` };
  if (n > rule.max) return { ok: false, problem: `${key} must be at most ${rule.max}` };
  return { ok: true, value: n };
}

export function controlTextOf(v: unknown): string {
  return str(v);
}

// ---------------------------------------------------------------------------------------------
// Reading the document

export interface ParamView {
  name: string;
  description: string;
  /** The default as the form shows it ('' when none). */
  defaultText: string;
  required: boolean;
  secret: boolean;
}

export interface TargetsView {
  profile: string;
  groups: string[];
  elements: string[];
  filters: JsonObject;
  expression: string;
}

export interface FlowSettingsView {
  id: string;
  name: string;
  description: string;
  /** null when the document names no mode (serial applies) or one the engine does not know. */
  mode: FlowMode | null;
  targets: TargetsView;
  /** Each control as it is written in the document, or undefined when it is not. */
  controls: Partial<Record<ControlKey, unknown>>;
  params: ParamView[];
  processing: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s) => s !== '') : typeof v === 'string' && v !== '' ? [v] : []);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The default as its text: strings as typed unless they would read back as JSON (then quoted). */
export function defaultTextOf(v: unknown): string {
  if (v === undefined) return '';
  return rowValueOf(v as JsonValue);
}

/**
 * A param default from its text: JSON when it parses (5, true, [1, 2], "5"), so numbers and
 * booleans keep their type; anything else is the text itself. '' is no default.
 */
export function defaultOfText(text: string): JsonValue | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v = JSON.parse(text) as JsonValue;
    // `null` as a default means nothing to a param: keep the word the operator typed.
    return v === null ? text : v;
  } catch {
    return text;
  }
}

export function readSettings(flow: Record<string, unknown>): FlowSettingsView {
  const t = isObject(flow.targets) ? flow.targets : {};
  const mode = flowModes.find((m) => m === flow.mode) ?? null;
  const params = Array.isArray(flow.params)
    ? flow.params.map((p): ParamView => {
        const o = isObject(p) ? p : {};
        return { name: str(o.name), description: str(o.description), defaultText: defaultTextOf(o.default), required: o.required === true, secret: o.secret === true };
      })
    : [];
  const controls: Partial<Record<ControlKey, unknown>> = {};
  for (const key of CONTROL_KEYS) if (flow[key] !== undefined && flow[key] !== null) controls[key] = flow[key];
  return {
    id: str(flow.id),
    name: str(flow.name),
    description: str(flow.description),
    mode,
    targets: {
      profile: str(t.profile),
      groups: strings(t.groups),
      elements: strings(t.elements),
      filters: isObject(t.filters) ? (t.filters as JsonObject) : {},
      expression: str(t.expression),
    },
    controls,
    params,
    processing: typeof flow.processing === 'string' ? flow.processing : str(flow.processing),
  };
}
