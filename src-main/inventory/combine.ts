// Several files' layers as one inventory, the way `ansible-inventory -i a.ini -i b.ini` reads
// them: memberships and children add up, and where two files set the same variable or setting
// the file imported later (by first import) wins.
import type { Element, Group, JsonObject, Profile } from '../../src-shared/domain/inventory';
import type { ConnectionFields, ElementFields, LayerGroup, SourceLayer } from './source-layer';

/** Groups as all the files together declare them, connection settings and priorities included. */
export function combineGroups(layers: readonly SourceLayer[]): Map<string, LayerGroup> {
  const out = new Map<string, LayerGroup>();
  for (const layer of layers) {
    for (const g of layer.groups) {
      const have = out.get(g.name);
      if (!have) {
        const copy: LayerGroup = { name: g.name, vars: { ...g.vars }, children: [...g.children], conn: { ...g.conn } };
        if (g.priority !== undefined) copy.priority = g.priority;
        out.set(g.name, copy);
        continue;
      }
      Object.assign(have.vars, g.vars);
      for (const c of g.children) if (!have.children.includes(c)) have.children.push(c);
      Object.assign(have.conn, g.conn);
      if (g.priority !== undefined) have.priority = g.priority;
    }
  }
  return out;
}

export function combineProfiles(layers: readonly SourceLayer[]): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const layer of layers) {
    for (const p of layer.profiles) {
      const have = out.get(p.id);
      out.set(p.id, have ? { ...have, ...p, context: { ...have.context, ...p.context } } : { ...p, context: { ...p.context } });
    }
  }
  return out;
}

/**
 * How deep each group sits below `all`, by its longest chain of parents, as ansible-core counts
 * it (a top-level group is 1). A child that leads back into its own chain is not followed.
 */
function groupDepths(groups: Iterable<{ name: string; children: readonly string[] }>): Map<string, number> {
  const children = new Map<string, readonly string[]>();
  const hasParent = new Set<string>();
  for (const g of groups) {
    if (g.name === 'all') continue;
    children.set(g.name, g.children);
    for (const c of g.children) hasParent.add(c);
  }
  const depth = new Map<string, number>();
  const visit = (start: string): void => {
    // Depth-first along the children, a stack of its own; `onPath` cuts loops.
    const onPath = new Set<string>([start]);
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const kids = children.get(top.name) ?? [];
      if (top.next >= kids.length) {
        onPath.delete(top.name);
        stack.pop();
        continue;
      }
      const c = kids[top.next++] as string;
      if (onPath.has(c) || c === 'all') continue;
      const d = (depth.get(top.name) ?? 1) + 1;
      if ((depth.get(c) ?? 0) >= d) continue;
      depth.set(c, d);
      onPath.add(c);
      stack.push({ name: c, next: 0 });
    }
  };
  const tops = [...children.keys()].filter((n) => !hasParent.has(n));
  for (const t of tops) depth.set(t, 1);
  for (const t of tops) visit(t);
  // Groups only reachable through a loop still need a depth.
  for (const n of children.keys()) {
    if (!depth.has(n)) {
      depth.set(n, 1);
      visit(n);
    }
  }
  return depth;
}

/** child -> parents, over the given groups. */
function parentsOf(groups: Iterable<{ name: string; children: readonly string[] }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of groups) {
    for (const c of g.children) {
      const list = out.get(c) ?? [];
      if (!list.includes(g.name)) list.push(g.name);
      out.set(c, list);
    }
  }
  return out;
}

export interface GroupGraph {
  depth: Map<string, number>;
  parents: Map<string, string[]>;
  priority: (name: string) => number;
  hasAll: boolean;
}

export function groupGraph(groups: readonly Group[], combined: ReadonlyMap<string, LayerGroup>): GroupGraph {
  return {
    depth: groupDepths(groups),
    parents: parentsOf(groups),
    priority: (name) => combined.get(name)?.priority ?? 1,
    hasAll: groups.some((g) => g.name === 'all'),
  };
}

/**
 * An element's groups the way Ansible layers their variables, lowest first: `all`, then every
 * group it is in, directly or through `children`, by depth, then `ansible_group_priority`,
 * then name. Ancestors are listed so Flowdeck's own resolution (each group after its
 * ancestors, in the element's order) gives the very same layering.
 */
export function ansibleGroupOrder(direct: readonly string[], graph: GroupGraph): string[] {
  const seen = new Set<string>();
  const stack = direct.filter((g) => g !== 'all');
  while (stack.length > 0) {
    const g = stack.pop() as string;
    if (seen.has(g) || g === 'all') continue;
    seen.add(g);
    for (const p of graph.parents.get(g) ?? []) stack.push(p);
  }
  const key = (g: string): [number, number] => [graph.depth.get(g) ?? 1, graph.priority(g)];
  const sorted = [...seen].sort((a, b) => {
    const [da, pa] = key(a);
    const [db, pb] = key(b);
    return da - db || pa - pb || (a < b ? -1 : a > b ? 1 : 0);
  });
  return graph.hasAll ? ['all', ...sorted] : sorted;
}

export interface ElementView {
  element: Element;
  /** Whether any file that lists it reads with Ansible's rules. */
  ansible: boolean;
}

/**
 * Each element as the files together describe it. For elements of Ansible files the groups'
 * connection settings apply to their members in group order, the element's own settings last.
 */
export function combineElements(layers: readonly SourceLayer[], graph: GroupGraph, groupConn: ReadonlyMap<string, LayerGroup>): Map<string, ElementView> {
  const acc = new Map<string, { fields: ElementFields; groups: string[]; context: JsonObject; ansible: boolean }>();
  for (const layer of layers) {
    for (const e of layer.elements) {
      let a = acc.get(e.id);
      if (!a) {
        a = { fields: {}, groups: [], context: {}, ansible: false };
        acc.set(e.id, a);
      }
      Object.assign(a.fields, e.fields);
      for (const g of e.groups) if (!a.groups.includes(g)) a.groups.push(g);
      Object.assign(a.context, e.context);
      a.ansible ||= layer.ansible;
    }
  }
  const out = new Map<string, ElementView>();
  for (const [id, a] of acc) {
    let direct = a.groups;
    let fields: ElementFields = a.fields;
    if (a.ansible) {
      // As in Ansible, `ungrouped` holds only hosts that are in no other group, in any file.
      if (direct.some((g) => g !== 'ungrouped')) direct = direct.filter((g) => g !== 'ungrouped');
      direct = ansibleGroupOrder(direct, graph);
      const conn: ConnectionFields = { ...groupConn.get('all')?.conn };
      for (const g of direct) Object.assign(conn, groupConn.get(g)?.conn);
      fields = { ...conn, ...a.fields };
    }
    const element: Element = {
      id,
      name: fields.name ?? id,
      host: fields.host ?? id,
      transport: fields.transport ?? 'ssh',
      groups: direct,
      context: a.context,
      enabled: fields.enabled ?? true,
    };
    for (const k of ['port', 'user', 'credential', 'jump', 'identityFile', 'hostKeyPolicy', 'profile', 'zone'] as const) {
      if (fields[k] !== undefined) (element as Record<string, unknown>)[k] = fields[k];
    }
    out.set(id, { element, ansible: a.ansible });
  }
  return out;
}

/** Layers as one document, with nothing stored to merge into: what a file alone describes. */
export function combineLayers(layers: readonly SourceLayer[]): { profiles: Profile[]; groups: Group[]; elements: Element[] } {
  const combined = combineGroups(layers);
  const groups: Group[] = [...combined.values()].map((g) => ({ name: g.name, vars: g.vars, children: g.children }));
  const graph = groupGraph(groups, combined);
  return {
    profiles: [...combineProfiles(layers).values()],
    groups,
    elements: [...combineElements(layers, graph, combined).values()].map((v) => v.element),
  };
}
