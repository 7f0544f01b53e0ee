// Re-import (SPEC 2: "importing twice updates, never duplicates"). Elements match by id, groups
// by name, profiles by id. What an import says replaces what is stored; what it cannot say is
// kept, so settings made in Flowdeck (a credential, a profile, a disabled element) survive it.
import type { Element, Group, InventoryDocument, JsonValue, Profile } from '../../src-shared/domain/inventory';

export interface MergeResult {
  doc: InventoryDocument;
  /** `element:web1`, `group:web`, `profile:postgres`: the kind first, since names may repeat across kinds. */
  added: string[];
  updated: string[];
  unchanged: string[];
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
 * The stored element updated by an incoming one. Id, name, host and transport always come from
 * the import. Optional fields replace only when the import sets them. Groups and context are
 * replaced as a whole (a host that left a group leaves it here too), except when the import has
 * none at all, which is what a format without groups or variables (ssh config) gives: that says
 * nothing, rather than "remove them". An import never re-enables an element disabled here.
 */
function mergeElement(old: Element, inc: Element): Element {
  const out: Element = { ...old, id: inc.id, name: inc.name, host: inc.host, transport: inc.transport };
  if (inc.port !== undefined) out.port = inc.port;
  if (inc.user !== undefined) out.user = inc.user;
  if (inc.credential !== undefined) out.credential = inc.credential;
  if (inc.jump !== undefined) out.jump = inc.jump;
  if (inc.identityFile !== undefined) out.identityFile = inc.identityFile;
  if (inc.hostKeyPolicy !== undefined) out.hostKeyPolicy = inc.hostKeyPolicy;
  if (inc.profile !== undefined) out.profile = inc.profile;
  if (inc.groups.length > 0) out.groups = [...inc.groups];
  if (hasKeys(inc.context)) out.context = inc.context;
  if (!inc.enabled) out.enabled = false;
  return out;
}

/** Same rule for groups: vars and children replace unless the import gives none. */
function mergeGroup(old: Group, inc: Group): Group {
  return {
    name: old.name,
    vars: hasKeys(inc.vars) ? inc.vars : old.vars,
    children: inc.children.length > 0 ? [...inc.children] : old.children,
  };
}

function mergeProfile(old: Profile, inc: Profile): Profile {
  const out: Profile = { ...old };
  if (inc.name !== undefined) out.name = inc.name;
  if (inc.port !== undefined) out.port = inc.port;
  if (inc.user !== undefined) out.user = inc.user;
  if (inc.credential !== undefined) out.credential = inc.credential;
  if (hasKeys(inc.context)) out.context = inc.context;
  return out;
}

function mergeList<T>(
  kind: string,
  existing: readonly T[],
  incoming: readonly T[],
  key: (t: T) => string,
  merge: (old: T, inc: T) => T,
  result: MergeResult,
): T[] {
  const out = [...existing];
  const index = new Map(out.map((t, i) => [key(t), i]));
  const status = new Map<string, 'added' | 'updated' | 'unchanged'>();
  for (const inc of incoming) {
    const k = key(inc);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      out.push(inc);
      status.set(k, 'added');
      continue;
    }
    const next = merge(out[at] as T, inc);
    const changed = !sameJson(next, out[at]);
    out[at] = next;
    // A second entry with the same key in one import counts once, by what happened first.
    if (!status.has(k)) status.set(k, changed ? 'updated' : 'unchanged');
    else if (changed && status.get(k) === 'unchanged') status.set(k, 'updated');
  }
  for (const [k, s] of status) result[s].push(`${kind}:${k}`);
  return out;
}

/**
 * Folds an imported document into the stored one. Pure: the caller saves `doc`. Nothing stored
 * is removed; merging the same import again changes nothing and reports everything unchanged.
 */
export function mergeInventory(existing: InventoryDocument, incoming: InventoryDocument): MergeResult {
  const result: MergeResult = { doc: { profiles: [], groups: [], elements: [] }, added: [], updated: [], unchanged: [] };
  result.doc = {
    profiles: mergeList('profile', existing.profiles, incoming.profiles, (p) => p.id, mergeProfile, result),
    groups: mergeList('group', existing.groups, incoming.groups, (g) => g.name, mergeGroup, result),
    elements: mergeList('element', existing.elements, incoming.elements, (e) => e.id, mergeElement, result),
  };
  return result;
}
