import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { stepKinds } from '../../../src-shared/domain/flow';
import { lineColumnAt, yamlDocumentProblem, yamlTextProblem, type InputProblem } from '../../../src-shared/yaml-limits';

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

function limitError(source: string, p: InputProblem): string {
  if (p.offset === undefined) return p.message;
  const { line, column } = lineColumnAt(source, p.offset);
  return `${line}:${column}: ${p.message}`;
}

export function readFlow(source: string): ReadFlow {
  // Nesting, size and aliases are checked before the yaml package sees the text: deep nesting
  // exhausts its recursion, and an alias bomb is huge once its aliases are copied.
  const limited = yamlTextProblem(source);
  if (limited) return { ok: false, error: limitError(source, limited) };
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e?.linePos?.[0];
    return { ok: false, error: `${where ? `${where.line}:${where.col}: ` : ''}${e?.message.split('\n')[0] ?? 'invalid YAML'}` };
  }
  const expanded = yamlDocumentProblem(doc);
  if (expanded) return { ok: false, error: limitError(source, expanded) };
  const flow: unknown = doc.toJS({ maxAliasCount: -1 });
  if (typeof flow !== 'object' || flow === null || Array.isArray(flow)) return { ok: false, error: 'the document is not a mapping (id:, name:, steps: ...)' };
  const rawSteps = (flow as Record<string, unknown>).steps;
  const steps = Array.isArray(rawSteps) ? rawSteps.map((s): StepObject => (typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as StepObject) : {})) : [];
  return { ok: true, flow: flow as Record<string, unknown>, steps };
}

/**
 * What can be made of a text that does not parse: the `yaml` parser recovers most of a broken
 * document, so a read-only form can still show the operator's fields rather than go blank.
 * Null when not even a mapping comes out of it.
 */
export function readFlowLoose(source: string): Record<string, unknown> | null {
  if (yamlTextProblem(source)) return null;
  try {
    const value: unknown = parseDocument(source, { prettyErrors: false, uniqueKeys: false }).toJS();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The one kind key a step carries (`run`, `script`, `task`, `sleep`, `http`, `flow`), or `?`. */
export function kindOf(step: StepObject): string {
  return stepKinds.find((k) => k in step) ?? '?';
}

function edit(source: string, change: (doc: Document) => boolean): string {
  if (yamlTextProblem(source)) return source;
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return source;
  return change(doc) ? doc.toString(TO_STRING) : source;
}

/** Moves one item of a top-level list (`steps`, `params`). */
function moveItem(source: string, key: string, from: number, to: number): string {
  return edit(source, (doc) => {
    const list = doc.get(key, true);
    if (!isSeq(list) || from < 0 || from >= list.items.length || to < 0 || to >= list.items.length || from === to) return false;
    const [item] = list.items.splice(from, 1);
    list.items.splice(to, 0, item);
    return true;
  });
}

function removeItem(source: string, key: string, index: number, dropWhenEmpty: boolean): string {
  return edit(source, (doc) => {
    const list = doc.get(key, true);
    if (!isSeq(list) || index < 0 || index >= list.items.length) return false;
    list.items.splice(index, 1);
    if (dropWhenEmpty && list.items.length === 0) doc.delete(key);
    return true;
  });
}

/** Sets (or, for undefined / '', removes) fields of one mapping in a top-level list. */
function updateItem(source: string, key: string, index: number, patch: Record<string, unknown>): string {
  return edit(source, (doc) => {
    const item = doc.getIn([key, index], true);
    if (!isMap(item)) return false;
    for (const [k, value] of Object.entries(patch)) {
      if (value === undefined || value === '') item.delete(k);
      else item.set(k, value);
    }
    return true;
  });
}

export function moveStep(source: string, from: number, to: number): string {
  return moveItem(source, 'steps', from, to);
}

export function removeStep(source: string, index: number): string {
  return removeItem(source, 'steps', index, false);
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
  return updateItem(source, 'steps', index, patch);
}

// ---------------------------------------------------------------------------------------------
// The flow's own fields (the settings form)

/**
 * Where a key the document does not have yet goes: the order of the README's flow file, so a
 * field the form adds lands where an operator would have written it, not after `steps`.
 */
const FLOW_KEY_ORDER = [
  'id',
  'name',
  'description',
  'mode',
  'targets',
  'concurrency',
  'batchSize',
  'delayBetweenBatches',
  'onFailure',
  'maxFailPercent',
  'failFast',
  'timeout',
  'canary',
  'rateLimit',
  'allowEmpty',
  'gather',
  'reorderEachBatch',
  'params',
  'processing',
  'steps',
] as const;
export type FlowKey = (typeof FLOW_KEY_ORDER)[number];

const TARGET_KEY_ORDER = ['profile', 'groups', 'elements', 'filters', 'expression'] as const;
export type TargetKey = (typeof TARGET_KEY_ORDER)[number];

/** What the form writes into a field; an empty value removes the key, so its default applies. */
export type FieldValue = string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>> | undefined;

function isPlainObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyValue(v: FieldValue): boolean {
  if (v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

/** A new list or object the form adds is written inline (`groups: [ app, web ]`), as operators write short ones. */
function newNode(doc: Document, value: FieldValue): YamlNode {
  const node = doc.createNode(value) as YamlNode;
  if ((isSeq(node) || isMap(node)) && node.items.length <= 8) node.flow = true;
  return node;
}

/**
 * Sets `key` of `map` keeping what the operator wrote around it: a scalar keeps its node (its
 * comment, its quoting), a list or object keeps its style and only its items change; a new key
 * goes to its place in `order`.
 */
function setKey(doc: Document, map: YAMLMap, key: string, value: FieldValue, order: readonly string[]): void {
  if (isEmptyValue(value)) {
    map.delete(key);
    return;
  }
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  if (pair) {
    const current = pair.value;
    if (isScalar(current) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      current.value = value;
    } else if (isSeq(current) && Array.isArray(value)) {
      current.items = value.map((v: unknown) => doc.createNode(v));
    } else if (isMap(current) && isPlainObject(value)) {
      current.items = Object.entries(value).map(([k, v]) => doc.createPair(k, v));
    } else {
      pair.value = newNode(doc, value);
    }
    return;
  }
  const rank = order.indexOf(key);
  const at = rank < 0 ? -1 : map.items.findIndex((p) => order.indexOf(String(isScalar(p.key) ? p.key.value : p.key)) > rank);
  const created = doc.createPair(key, newNode(doc, value));
  map.items.splice(at < 0 ? map.items.length : at, 0, created);
}

function rootMap(doc: Document): YAMLMap | null {
  return isMap(doc.contents) ? doc.contents : null;
}

/** Sets one top-level field of the flow (`name`, `mode`, a control...); '' or undefined removes it. */
export function setFlowField(source: string, key: FlowKey, value: FieldValue): string {
  return edit(source, (doc) => {
    const root = rootMap(doc);
    if (!root) return false;
    setKey(doc, root, key, value, FLOW_KEY_ORDER);
    return true;
  });
}

/** Sets one field of `targets`; the last one removed removes `targets` (all enabled elements). */
export function setTargetField(source: string, key: TargetKey, value: FieldValue): string {
  return edit(source, (doc) => {
    const root = rootMap(doc);
    if (!root) return false;
    let targets = doc.get('targets', true);
    if (!isMap(targets)) {
      if (isEmptyValue(value)) return false;
      setKey(doc, root, 'targets', { [key]: value }, FLOW_KEY_ORDER);
      targets = doc.get('targets', true);
      return isMap(targets);
    }
    setKey(doc, targets, key, value, TARGET_KEY_ORDER);
    if (targets.items.length === 0) root.delete('targets');
    return true;
  });
}

/** The script as the processing editor shows it: the block's value without its final line break. */
export function scriptOfProcessing(value: string): string {
  return value.endsWith('\n') ? value.slice(0, -1) : value;
}

/** The `processing` value for the editor's text: a blank script is no script. */
export function processingOfScript(text: string): string {
  return text.trim() === '' ? '' : `${text}\n`;
}

/**
 * Writes the processing script as a literal block (`processing: |`), the one YAML form in which
 * the script's lines are the document's lines, so errors can be shown at both; blank removes it.
 */
export function setProcessing(source: string, script: string): string {
  const value = processingOfScript(script);
  return edit(source, (doc) => {
    const root = rootMap(doc);
    if (!root) return false;
    setKey(doc, root, 'processing', value, FLOW_KEY_ORDER);
    const node = doc.get('processing', true);
    if (isScalar(node)) node.type = 'BLOCK_LITERAL';
    return true;
  });
}

export type ParamObject = Record<string, unknown>;

/** Appends a param, written inline when the params already there are. */
export function addParam(source: string, param: ParamObject): string {
  return edit(source, (doc) => {
    const root = rootMap(doc);
    if (!root) return false;
    const params = doc.get('params', true);
    if (!isSeq(params)) {
      setKey(doc, root, 'params', [param], FLOW_KEY_ORDER);
      const created = doc.get('params', true);
      // A list of mappings reads best as a block list of inline mappings.
      if (isSeq(created)) {
        created.flow = false;
        for (const item of created.items) if (isMap(item)) item.flow = true;
      }
      return true;
    }
    const node = doc.createNode(param);
    const last = params.items[params.items.length - 1];
    if (isMap(node)) node.flow = last === undefined || (isMap(last) && last.flow === true);
    params.items.push(node);
    return true;
  });
}

export function removeParam(source: string, index: number): string {
  return removeItem(source, 'params', index, true);
}

export function moveParam(source: string, from: number, to: number): string {
  return moveItem(source, 'params', from, to);
}

/** Sets (or, for undefined / '', removes) fields of one param. */
export function updateParam(source: string, index: number, patch: Record<string, unknown>): string {
  return updateItem(source, 'params', index, patch);
}

/** An id not used by any step yet: `step-3`, `step-4`... */
export function freshStepId(steps: StepObject[]): string {
  const used = new Set(steps.map((s) => String(s.id ?? '')));
  for (let n = steps.length + 1; ; n++) if (!used.has(`step-${n}`)) return `step-${n}`;
}
