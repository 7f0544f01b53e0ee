/**
 * The one change that turns `current` into `next`: the span between their common prefix and
 * common suffix. Editors apply only that, so a value arriving from outside (a save, a form)
 * leaves the cursor and the scroll position where the operator left them.
 */
export function differingSpan(current: string, next: string): { from: number; to: number; insert: string } {
  let from = 0;
  const max = Math.min(current.length, next.length);
  while (from < max && current.charCodeAt(from) === next.charCodeAt(from)) from++;
  let tail = 0;
  while (tail < max - from && current.charCodeAt(current.length - 1 - tail) === next.charCodeAt(next.length - 1 - tail)) tail++;
  return { from, to: current.length - tail, insert: next.slice(from, next.length - tail) };
}
