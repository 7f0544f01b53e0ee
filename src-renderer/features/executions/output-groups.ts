import type { StepRunRecord, StepRunStatus } from '../../../src-shared/domain/execution';
import type { OutputGroup, OutputGroups } from '../../../src-shared/ipc/contract';
import { endState, PLAIN, type SgrState } from './log/ansi';

/**
 * Pure helpers of the "Output by element" panel (output grouping): the one-line
 * summary, which group leads and which are outliers, and a sample cut into drawable lines.
 */

/**
 * `3 identical, 2 differ`, `all 5 identical`, `4 differ` (no two alike), then how many still run
 * (their output is not final, so they are left out of the counts) and how many did not run.
 */
export function groupSummary(r: Pick<OutputGroups, 'groups' | 'missing'>, running: ReadonlySet<string> = new Set()): string {
  const sizes = r.groups.map((g) => g.elements.filter((e) => !running.has(e)).length).filter((n) => n > 0);
  sizes.sort((a, b) => b - a);
  const done = sizes.reduce((n, s) => n + s, 0);
  const busy = r.groups.reduce((n, g) => n + g.elements.filter((e) => running.has(e)).length, 0);
  const tail = [busy > 0 ? `${busy} running` : '', r.missing.length > 0 ? `${r.missing.length} not run` : ''];
  const join = (...parts: string[]): string => [...parts, ...tail].filter(Boolean).join(', ');
  const top = sizes[0] ?? 0;
  if (done === 0) return join(busy > 0 ? '' : 'no output yet');
  if (sizes.length === 1) return join(done === 1 ? '1 element' : `all ${done} identical`);
  if (top === 1) return join(`${done} differ`);
  return join(`${top} identical`, `${done - top} differ`);
}

/** Elements whose last attempt of `step` has not finished: their output may still change. */
export function runningElements(runs: Iterable<Pick<StepRunRecord, 'id' | 'element' | 'step' | 'attempt' | 'status'>>, step: string): Set<string> {
  const last = new Map<string, { id: number; attempt: number; status: StepRunStatus }>();
  for (const r of runs) {
    if (r.step !== step) continue;
    const had = last.get(r.element);
    if (!had || r.attempt > had.attempt || (r.attempt === had.attempt && r.id > had.id)) last.set(r.element, r);
  }
  return new Set([...last].filter(([, r]) => r.status === 'pending' || r.status === 'running').map(([element]) => element));
}

/**
 * The group drawn wide on top (the largest, when it has company: more than one element) and the
 * outliers drawn side by side under it. Ties keep the server's order (its first element first).
 */
export function splitOutliers(groups: readonly OutputGroup[]): { main: OutputGroup | null; outliers: OutputGroup[] } {
  const [first, ...rest] = groups;
  if (!first) return { main: null, outliers: [] };
  if (first.size === 1 && rest.length > 0) return { main: null, outliers: [...groups] };
  return { main: first, outliers: rest };
}

export interface SampleLine {
  text: string;
  /** The colour state the line starts in: a colour set on one line goes on until reset. */
  start: SgrState;
}

/**
 * A sample as lines for the ANSI line renderer: the newline that ends the output makes no
 * empty last line; at most `maxLines` are returned and `more` says how many were left out.
 */
export function sampleLines(sample: string, maxLines: number): { lines: SampleLine[]; more: number } {
  if (sample === '') return { lines: [], more: 0 };
  const all = (sample.endsWith('\n') ? sample.slice(0, -1) : sample).split('\n');
  const lines: SampleLine[] = [];
  let state = PLAIN;
  for (const text of all.slice(0, maxLines)) {
    lines.push({ text, start: state });
    state = endState(text, state);
  }
  return { lines, more: Math.max(0, all.length - maxLines) };
}

/** `812 B`, `64 KiB`, `3.6 MiB`: the unit the sample limit is named in. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 && !Number.isInteger(v) ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
