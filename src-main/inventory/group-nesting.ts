// How deep groups nest through `children`. Every element's effective context walks all of its
// groups' ancestors, so an imported inventory whose groups chain thousands of levels deep would
// make each element cost thousands of steps (and used to exhaust the stack); imports refuse it.

/** Groups inside one another through `children`, counting the top one: `a: children [b]` is 2. */
export const MAX_GROUP_NESTING = 64;

export interface GroupChain {
  /** The group at the top of the deepest chain. */
  top: string;
  levels: number;
}

/**
 * The deepest chain of `children`, walked without recursion. A child that leads back to a group
 * on the current path closes a loop: it is not followed, as resolving an element ignores it.
 * Children that name no group count as one level.
 */
export function deepestGroupChain(groups: Iterable<{ name: string; children: readonly string[] }>): GroupChain | null {
  const children = new Map<string, readonly string[]>();
  for (const g of groups) children.set(g.name, g.children);
  const height = new Map<string, number>();
  const onPath = new Set<string>();
  let deepest: GroupChain | null = null;
  for (const start of children.keys()) {
    if (height.has(start)) continue;
    const stack: Array<{ name: string; next: number; below: number }> = [{ name: start, next: 0, below: 0 }];
    onPath.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const kids = children.get(top.name) ?? [];
      if (top.next < kids.length) {
        const child = kids[top.next++] as string;
        if (onPath.has(child)) continue;
        const known = height.get(child);
        if (known !== undefined) {
          top.below = Math.max(top.below, known);
          continue;
        }
        onPath.add(child);
        stack.push({ name: child, next: 0, below: 0 });
        continue;
      }
      stack.pop();
      onPath.delete(top.name);
      const levels = top.below + 1;
      height.set(top.name, levels);
      const parent = stack[stack.length - 1];
      if (parent) parent.below = Math.max(parent.below, levels);
      if (!deepest || levels > deepest.levels) deepest = { top: top.name, levels };
    }
  }
  return deepest;
}

/** The message for a chain over the limit, or null. */
export function groupNestingProblem(groups: Iterable<{ name: string; children: readonly string[] }>): { top: string; message: string } | null {
  const chain = deepestGroupChain(groups);
  if (!chain || chain.levels <= MAX_GROUP_NESTING) return null;
  return {
    top: chain.top,
    message: `group "${chain.top}" has groups nested ${chain.levels} levels deep below it, counting itself; Flowdeck reads at most ${MAX_GROUP_NESTING}`,
  };
}
