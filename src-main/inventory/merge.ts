// Imports into a stored inventory that files and hands both write to. Every imported file keeps
// its own layer (what it said), so files add up and a re-import takes back only what its file
// no longer says. What the files together gave last time is kept as a snapshot: a stored value
// that differs from it was edited by hand in Flowdeck, and a hand edit wins over any import.
import type { Element, Group, InventoryDocument, JsonObject, JsonValue, Profile } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { combineElements, combineGroups, combineProfiles, groupGraph } from './combine';
import { groupNestingProblem } from './group-nesting';
import type { SourceLayer } from './source-layer';

/** What the imports together last said about each element, group and profile. */
export interface ImportSnapshot {
  elements: Map<string, Element>;
  groups: Map<string, Group>;
  profiles: Map<string, Profile>;
}

export interface NamedLayer {
  /** The file's absolute path, or the name it was imported under. */
  source: string;
  layer: SourceLayer;
}

export interface HandEdit {
  /** `element:web1`, `group:web`, `profile:pg`. */
  key: string;
  /** What the hand edit kept against the files: `port`, `groups`, `context.role`, `vars.x`. */
  fields: string[];
}

export interface ImportPlan {
  /** The whole inventory after the import; nothing in it is deleted. */
  doc: InventoryDocument;
  snapshot: ImportSnapshot;
  /** Keys `kind:id`, the kind first since names may repeat across kinds. */
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Elements and groups some file listed before and no file lists now: kept, but said. */
  left: string[];
  /** Hand edits that differ from what the files say now, kept. */
  handKept: HandEdit[];
}

export interface ImportInput {
  stored: InventoryDocument;
  snapshot: ImportSnapshot;
  /** Every file's layer before the import, in precedence order (first imported lowest). */
  before: readonly NamedLayer[];
  /** The same after it: the importing files' layers replaced or added. */
  after: readonly NamedLayer[];
  /** The sources being imported now: what they mention is reported even when unchanged. */
  importing: ReadonlySet<string>;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  // Key order does not matter, and a key holding undefined is the same as no key.
  const ra = a as Record<string, JsonValue | undefined>;
  const rb = b as Record<string, JsonValue | undefined>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameJson(ra[k], rb[k])) return false;
  return true;
}

const hasKeys = (o: object): boolean => Object.keys(o).length > 0;

/**
 * One value three ways. `prev` undefined with `tracked` false means the stored object predates
 * source tracking: the import then wins for what it states (what re-importing always did).
 */
function scalar<T>(cur: T | undefined, prev: T | undefined, next: T | undefined, tracked: boolean, conflict: () => void): T | undefined {
  if (!tracked) return next !== undefined ? next : cur;
  if (!sameJson(cur, prev)) {
    // A conflict only where the files state something else; a setting they never state is no conflict.
    if (next !== undefined && !sameJson(cur, next)) conflict();
    return cur;
  }
  return next;
}

/** Variables three ways, key by key: a key edited, added or removed by hand stays so. */
function object(cur: JsonObject, prev: JsonObject | undefined, next: JsonObject, conflict: (key: string) => void): JsonObject {
  if (prev === undefined) return hasKeys(next) ? { ...next } : cur;
  const out: JsonObject = {};
  const keys = new Set([...Object.keys(next), ...Object.keys(cur), ...Object.keys(prev)]);
  for (const k of keys) {
    const inCur = Object.hasOwn(cur, k);
    const inPrev = Object.hasOwn(prev, k);
    const inNext = Object.hasOwn(next, k);
    const hand = inCur !== inPrev || (inCur && !sameJson(cur[k], prev[k]));
    if (hand) {
      if (inNext && (!inCur || !sameJson(cur[k], next[k]))) conflict(k);
      if (inCur) out[k] = cur[k] as JsonValue;
    } else if (inNext) out[k] = next[k] as JsonValue;
  }
  return out;
}

/** Memberships three ways: the files' list in their order, less what hands removed, plus what hands added. */
function list(cur: readonly string[], prev: readonly string[] | undefined, next: readonly string[], conflict: () => void): string[] {
  if (prev === undefined) return next.length > 0 ? [...next] : [...cur];
  const removed = new Set(prev.filter((g) => !cur.includes(g)));
  const added = cur.filter((g) => !prev.includes(g));
  if (next.some((g) => removed.has(g))) conflict();
  const out = next.filter((g) => !removed.has(g));
  for (const g of added) if (!out.includes(g)) out.push(g);
  return out;
}

const ELEMENT_SCALARS = ['name', 'host', 'port', 'user', 'transport', 'credential', 'jump', 'identityFile', 'hostKeyPolicy', 'profile', 'zone'] as const;

function mergeElement(cur: Element, prev: Element | undefined, next: Element, note: (field: string) => void): Element {
  const tracked = prev !== undefined;
  const out: Element = { ...cur };
  const rec = out as Record<string, unknown>;
  for (const f of ELEMENT_SCALARS) {
    const v = scalar(cur[f], prev?.[f], next[f], tracked, () => note(f));
    if (v === undefined) delete rec[f];
    else rec[f] = v;
  }
  // An import never re-enables an element disabled here.
  out.enabled = tracked ? (scalar(cur.enabled, prev.enabled, next.enabled, true, () => note('enabled')) as boolean) : next.enabled && cur.enabled;
  out.groups = list(cur.groups, prev?.groups, next.groups, () => note('groups'));
  out.context = object(cur.context, prev?.context, next.context, (k) => note(`context.${k}`));
  return out;
}

function mergeGroup(cur: Group, prev: Group | undefined, next: Group, note: (field: string) => void): Group {
  return {
    name: cur.name,
    vars: object(cur.vars, prev?.vars, next.vars, (k) => note(`vars.${k}`)),
    children: list(cur.children, prev?.children, next.children, () => note('children')),
  };
}

function mergeProfile(cur: Profile, prev: Profile | undefined, next: Profile, note: (field: string) => void): Profile {
  const out: Profile = { ...cur };
  const rec = out as Record<string, unknown>;
  for (const f of ['name', 'port', 'user', 'credential'] as const) {
    const v = scalar(cur[f], prev?.[f], next[f], prev !== undefined, () => note(f));
    if (v === undefined) delete rec[f];
    else rec[f] = v;
  }
  out.context = object(cur.context, prev?.context, next.context, (k) => note(`context.${k}`));
  return out;
}

interface KindResult<T> {
  items: T[];
  snapshot: Map<string, T>;
}

/**
 * One kind (elements, groups or profiles) three ways. `view` is what the files say now;
 * `orphan` what is left of a previously imported item no file mentions any more.
 */
function mergeKind<T>(
  kind: string,
  stored: readonly T[],
  key: (t: T) => string,
  prevSnap: ReadonlyMap<string, T>,
  view: ReadonlyMap<string, T>,
  orphan: (prev: T) => T,
  merge: (cur: T, prev: T | undefined, next: T, note: (field: string) => void) => T,
  plan: ImportPlan,
  mentioned: ReadonlySet<string>,
): KindResult<T> {
  const items: T[] = [];
  const snapshot = new Map<string, T>();
  const storedKeys = new Set<string>();
  const report = (k: string, before: T | undefined, after: T): void => {
    const id = `${kind}:${k}`;
    if (before === undefined) plan.added.push(id);
    else if (!sameJson(before, after)) plan.updated.push(id);
    else if (mentioned.has(k)) plan.unchanged.push(id);
  };
  for (const cur of stored) {
    const k = key(cur);
    storedKeys.add(k);
    const prev = prevSnap.get(k);
    const inView = view.get(k);
    const next = inView ?? (prev !== undefined ? orphan(prev) : undefined);
    if (next === undefined) {
      items.push(cur);
      continue;
    }
    const conflicts: string[] = [];
    const merged = merge(cur, prev, next, (f) => conflicts.push(f));
    if (conflicts.length > 0 && mentioned.has(k)) plan.handKept.push({ key: `${kind}:${k}`, fields: conflicts });
    items.push(merged);
    snapshot.set(k, next);
    report(k, cur, merged);
  }
  for (const [k, next] of view) {
    if (storedKeys.has(k)) continue;
    items.push(next);
    snapshot.set(k, next);
    report(k, undefined, next);
  }
  return { items, snapshot };
}

function mentionedBy(layers: readonly NamedLayer[], sources: ReadonlySet<string>): { elements: Set<string>; groups: Set<string>; profiles: Set<string> } {
  const out = { elements: new Set<string>(), groups: new Set<string>(), profiles: new Set<string>() };
  for (const { source, layer } of layers) {
    if (!sources.has(source)) continue;
    for (const e of layer.elements) out.elements.add(e.id);
    for (const g of layer.groups) out.groups.add(g.name);
    for (const p of layer.profiles) out.profiles.add(p.id);
  }
  return out;
}

/**
 * Folds the files' layers into the stored inventory. Pure: the caller saves `doc` and
 * `snapshot` with the layers. Importing the same files again changes nothing and reports what
 * they mention as unchanged.
 */
export function planImport(input: ImportInput): ImportPlan {
  const plan: ImportPlan = { doc: { profiles: [], groups: [], elements: [] }, snapshot: input.snapshot, added: [], updated: [], unchanged: [], left: [], handKept: [] };
  const layers = input.after.map((l) => l.layer);
  const all = new Set([...input.before, ...input.after].map((l) => l.source));
  const was = mentionedBy(input.before, all);
  const now = mentionedBy(input.after, all);
  const importingBefore = mentionedBy(input.before, input.importing);
  const importingAfter = mentionedBy(input.after, input.importing);
  const union = (a: Set<string>, b: Set<string>): Set<string> => new Set([...a, ...b]);

  const combinedGroups = combineGroups(layers);
  const groupView = new Map<string, Group>([...combinedGroups].map(([n, g]) => [n, { name: n, vars: g.vars, children: g.children }]));
  const groups = mergeKind<Group>(
    'group',
    input.stored.groups,
    (g) => g.name,
    input.snapshot.groups,
    groupView,
    (prev) => ({ name: prev.name, vars: {}, children: [] }),
    mergeGroup,
    plan,
    union(importingBefore.groups, importingAfter.groups),
  );
  const nesting = groupNestingProblem(groups.items);
  if (nesting) throw new FlowdeckError('invalid-input', `with this import, ${nesting.message}`);

  const graph = groupGraph(groups.items, combinedGroups);
  const elementView = new Map([...combineElements(layers, graph, combinedGroups)].map(([id, v]) => [id, v.element]));
  const elements = mergeKind<Element>(
    'element',
    input.stored.elements,
    (e) => e.id,
    input.snapshot.elements,
    elementView,
    // Still a working element: it keeps its connection settings, and loses the files' groups and variables.
    (prev) => ({ ...prev, groups: [], context: {} }),
    mergeElement,
    plan,
    union(importingBefore.elements, importingAfter.elements),
  );

  const profiles = mergeKind<Profile>(
    'profile',
    input.stored.profiles,
    (p) => p.id,
    input.snapshot.profiles,
    combineProfiles(layers),
    (prev) => ({ ...prev, context: {} }),
    mergeProfile,
    plan,
    union(importingBefore.profiles, importingAfter.profiles),
  );

  const storedIds = new Set(elements.items.map((e) => e.id));
  const storedGroups = new Set(groups.items.map((g) => g.name));
  for (const id of was.elements) if (!now.elements.has(id) && storedIds.has(id)) plan.left.push(`element:${id}`);
  for (const n of was.groups) if (!now.groups.has(n) && storedGroups.has(n)) plan.left.push(`group:${n}`);

  plan.doc = { profiles: profiles.items, groups: groups.items, elements: elements.items };
  plan.snapshot = { elements: elements.snapshot, groups: groups.snapshot, profiles: profiles.snapshot };
  return plan;
}
