import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { stepKinds } from '../../src-shared/domain/flow';

/**
 * The visual view's access to the flow document. It reads the same YAML text the editor holds
 * and every edit rewrites that text through the `yaml` Document model, so comments, key order
 * and styles the operator wrote survive (only the touched step is re-emitted).
 */

export type StepObject = Record<string, unknown>;

export type ReadFlow =
  | { ok: true; flow: Record<string, unknown>; steps: StepObject[] }
  | { ok: false; error: string };

const TO_STRING = { lineWidth: 0, minContentWidth: 0 } as const;

export function readFlow(source: string): ReadFlow {
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e?.linePos?.[0];
    return { ok: false, error: `${where ? `${where.line}:${where.col}: ` : ''}${e?.message.split('\n')[0] ?? 'invalid YAML'}` };
  }
  const flow: unknown = doc.toJS();
  if (typeof flow !== 'object' || flow === null || Array.isArray(flow)) return { ok: false, error: 'the document is not a mapping (id:, name:, steps: ...)' };
  const rawSteps = (flow as Record<string, unknown>).steps;
  const steps = Array.isArray(rawSteps) ? rawSteps.map((s): StepObject => (typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as StepObject) : {})) : [];
  return { ok: true, flow: flow as Record<string, unknown>, steps };
}

/** The one kind key a step carries (`run`, `script`, `task`, `sleep`, `http`, `flow`), or `?`. */
export function kindOf(step: StepObject): string {
  return stepKinds.find((k) => k in step) ?? '?';
}

function edit(source: string, change: (doc: Document) => boolean): string {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return source;
  return change(doc) ? doc.toString(TO_STRING) : source;
}

export function moveStep(source: string, from: number, to: number): string {
  return edit(source, (doc) => {
    const steps = doc.get('steps', true);
    if (!isSeq(steps) || to < 0 || to >= steps.items.length || from === to) return false;
    const [item] = steps.items.splice(from, 1);
    steps.items.splice(to, 0, item);
    return true;
  });
}

export function removeStep(source: string, index: number): string {
  return edit(source, (doc) => {
    const steps = doc.get('steps', true);
    if (!isSeq(steps) || index < 0 || index >= steps.items.length) return false;
    steps.items.splice(index, 1);
    return true;
  });
}

export function addStep(source: string, step: StepObject, at?: number): string {
  return edit(source, (doc) => {
    let steps = doc.get('steps', true);
    if (!isSeq(steps)) {
      doc.set('steps', doc.createNode([]));
      steps = doc.get('steps', true);
    }
    if (!isSeq(steps)) return false;
    const node = doc.createNode(step);
    steps.items.splice(at ?? steps.items.length, 0, node);
    return true;
  });
}

/** Sets (or, for undefined / '', removes) fields of one step. */
export function updateStep(source: string, index: number, patch: Record<string, unknown>): string {
  return edit(source, (doc) => {
    const step = doc.getIn(['steps', index], true);
    if (!isMap(step)) return false;
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === '') step.delete(key);
      else step.set(key, value);
    }
    return true;
  });
}

/** An id not used by any step yet: `step-3`, `step-4`... */
export function freshStepId(steps: StepObject[]): string {
  const used = new Set(steps.map((s) => String(s.id ?? '')));
  for (let n = steps.length + 1; ; n++) if (!used.has(`step-${n}`)) return `step-${n}`;
}
