import type { ExecutionReport } from '../../src-shared/domain/execution';

export type Run = ExecutionReport['runs'][number];

/** The work runs (not the bookkeeping rows of `flow` steps), keyed `STEP@ELEMENT`. */
export function workRuns(rep: ExecutionReport): Map<string, Run> {
  const m = new Map<string, Run>();
  for (const r of rep.runs) if (r.kind !== 'flow' && r.startedAt !== null) m.set(`${r.step}@${r.element}`, r);
  return m;
}

/**
 * Asserts the order notation of docs/semantics.md: each inner array ran side by side (their intervals
 * overlap), and each wave finished before the next one started.
 */
export function assertWaves(rep: ExecutionReport, waves: string[][]): void {
  const runs = workRuns(rep);
  const expected = waves.flat();
  const extra = [...runs.keys()].filter((k) => !expected.includes(k));
  if (extra.length) throw new Error(`unexpected step runs: ${extra.join(', ')}`);
  const get = (k: string): Run => {
    const r = runs.get(k);
    if (!r || r.startedAt === null || r.finishedAt === null) throw new Error(`no finished step run ${k}; have ${[...runs.keys()].join(', ')}`);
    return r;
  };
  let prevEnd = -Infinity;
  let prevLabel = '(start)';
  for (const wave of waves) {
    const rs = wave.map(get);
    const start = Math.min(...rs.map((r) => r.startedAt as number));
    const latestStart = Math.max(...rs.map((r) => r.startedAt as number));
    const earliestEnd = Math.min(...rs.map((r) => r.finishedAt as number));
    if (start < prevEnd) throw new Error(`{${wave.join(',')}} started at ${start} before {${prevLabel}} finished at ${prevEnd}`);
    if (rs.length > 1 && latestStart >= earliestEnd) throw new Error(`{${wave.join(',')}} did not run side by side`);
    prevEnd = Math.max(...rs.map((r) => r.finishedAt as number));
    prevLabel = wave.join(',');
  }
}
