// Dangling names do not stop an element from resolving (an unknown group adds nothing), so
// they are reported separately, for an import summary or the inventory page to show.
import type { InventoryDocument } from '../../src-shared/domain/inventory';

/** Human messages for unknown profiles, groups and child groups, and `children` cycles. */
export function checkInventoryReferences(doc: Pick<InventoryDocument, 'elements' | 'groups' | 'profiles'>): string[] {
  const groups = new Map(doc.groups.map((g) => [g.name, g]));
  const profiles = new Set(doc.profiles.map((p) => p.id));
  const out: string[] = [];
  for (const e of doc.elements) {
    if (e.profile !== undefined && !profiles.has(e.profile)) out.push(`element "${e.id}": unknown profile "${e.profile}"`);
    for (const g of e.groups) if (!groups.has(g)) out.push(`element "${e.id}": unknown group "${g}"`);
  }
  for (const g of doc.groups) {
    for (const c of g.children) if (!groups.has(c)) out.push(`group "${g.name}": unknown child group "${c}"`);
  }
  for (const g of doc.groups) {
    const cycle = findCycle(g.name, (n) => groups.get(n)?.children ?? []);
    if (cycle) out.push(`group "${g.name}": its children lead back to it (${cycle.join(' -> ')}); the loop is ignored`);
  }
  return out;
}

/** A path start -> ... -> start through `next`, if there is one; depth-first, with a stack of its own. */
function findCycle(start: string, next: (n: string) => readonly string[]): string[] | undefined {
  const seen = new Set<string>();
  const path = [start];
  const stack: Array<{ children: readonly string[]; at: number }> = [{ children: next(start), at: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (top.at >= top.children.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const c = top.children[top.at++] as string;
    if (c === start) return [...path, c];
    if (seen.has(c)) continue;
    seen.add(c);
    path.push(c);
    stack.push({ children: next(c), at: 0 });
  }
  return undefined;
}
