// The effective element: profile defaults, then groups in the element's order with each
// group's ancestors before it, then the element's own context. Ansible users read a group that
// lists another in `children` as its parent, whose vars the child overrides.
import type { Element, Group, JsonObject, Profile, ResolvedElement } from '../../src-shared/domain/inventory';
import { deepMerge, expandDottedKeys } from '../../src-shared/context/merge';

/** child group name -> the groups that list it in `children`, in the groups' order. */
export function parentsIndex(groups: Iterable<Group>): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of groups) {
    for (const child of g.children) {
      const list = parents.get(child) ?? [];
      if (!list.includes(g.name)) list.push(g.name);
      parents.set(child, list);
    }
  }
  return parents;
}

/**
 * `group`'s ancestors, farthest first (by the longest path, as Ansible orders groups by depth),
 * discovery order breaking ties. An edge back onto the current path is a cycle and is ignored.
 */
function ancestorsFarthestFirst(group: string, parentsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'active' | 'done'>();
  const discovered: string[] = [];
  const finished: string[] = [];
  const dagParents = new Map<string, string[]>();
  // Depth-first with a stack of its own, so however deep the groups nest the walk cannot exhaust
  // the call stack; the order is a recursive walk's.
  const stack: Array<{ n: string; next: number; kept: string[] }> = [{ n: group, next: 0, kept: [] }];
  state.set(group, 'active');
  discovered.push(group);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const parents = parentsOf.get(top.n) ?? [];
    if (top.next < parents.length) {
      const p = parents[top.next++] as string;
      const s = state.get(p);
      if (s === 'active') continue;
      top.kept.push(p);
      if (s === undefined) {
        state.set(p, 'active');
        discovered.push(p);
        stack.push({ n: p, next: 0, kept: [] });
      }
      continue;
    }
    stack.pop();
    dagParents.set(top.n, top.kept);
    state.set(top.n, 'done');
    finished.push(top.n);
  }
  // Reverse finishing order is a topological order of the acyclic part, starting at `group`.
  const distance = new Map<string, number>([[group, 0]]);
  for (const n of finished.reverse()) {
    const d = distance.get(n) ?? 0;
    for (const p of dagParents.get(n) ?? []) distance.set(p, Math.max(distance.get(p) ?? 0, d + 1));
  }
  const order = new Map(discovered.map((n, i) => [n, i]));
  return discovered
    .filter((n) => n !== group)
    .sort((a, b) => (distance.get(b) ?? 0) - (distance.get(a) ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/**
 * The element's groups with their ancestors, lowest precedence first: for each direct group
 * in the element's order, its ancestors (farthest first) and then the group itself; a group
 * seen before keeps its first, lower, position.
 */
export function expandGroups(direct: readonly string[], parentsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of direct) {
    for (const n of [...ancestorsFarthestFirst(g, parentsOf), g]) {
      if (seen.has(n)) continue;
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

function resolveWith(
  element: Element,
  groupsByName: ReadonlyMap<string, Group>,
  profilesById: ReadonlyMap<string, Profile>,
  parentsOf: ReadonlyMap<string, readonly string[]>,
): ResolvedElement {
  const profile = element.profile !== undefined ? profilesById.get(element.profile) : undefined;
  const groups = expandGroups(element.groups, parentsOf);
  let context: JsonObject = profile ? expandDottedKeys(profile.context) : {};
  for (const name of groups) {
    const g = groupsByName.get(name);
    if (g) context = deepMerge(context, expandDottedKeys(g.vars));
  }
  context = deepMerge(context, expandDottedKeys(element.context));

  const out: ResolvedElement = {
    id: element.id,
    name: element.name,
    host: element.host,
    port: element.port ?? profile?.port ?? 22,
    transport: element.transport,
    hostKeyPolicy: element.hostKeyPolicy ?? 'strict',
    // Unknown groups stay listed: the element says it belongs there, and a flow that targets
    // that group should still find it (checkInventoryReferences reports the missing group).
    groups,
    context,
    enabled: element.enabled,
  };
  const user = element.user ?? profile?.user;
  const credential = element.credential ?? profile?.credential;
  if (user !== undefined) out.user = user;
  if (credential !== undefined) out.credential = credential;
  if (element.jump !== undefined) out.jump = element.jump;
  if (element.identityFile !== undefined) out.identityFile = element.identityFile;
  if (element.zone !== undefined) out.zone = element.zone;
  if (element.profile !== undefined) out.profile = element.profile;
  return out;
}

/** One element; prefer resolveElements for many (it indexes the groups once). */
export function resolveElement(
  element: Element,
  groupsByName: Map<string, Group>,
  profilesById: Map<string, Profile>,
): ResolvedElement {
  return resolveWith(element, groupsByName, profilesById, parentsIndex(groupsByName.values()));
}

export function resolveElements(doc: { elements: Element[]; groups: Group[]; profiles: Profile[] }): ResolvedElement[] {
  const groupsByName = new Map(doc.groups.map((g) => [g.name, g]));
  const profilesById = new Map(doc.profiles.map((p) => [p.id, p]));
  const parentsOf = parentsIndex(doc.groups);
  return doc.elements.map((e) => resolveWith(e, groupsByName, profilesById, parentsOf));
}
