import type { StepRunRecord } from '../../../src-shared/domain/execution';

interface Bar {
  run: StepRunRecord;
  /** Fractions of the whole span, 0..1. */
  left: number;
  width: number;
}

export interface TimelineModel {
  start: number;
  end: number;
  rows: Array<{ element: string; bars: Bar[] }>;
}

/**
 * Every step run that started, as a bar on its element's row (x = time). Runs still going end
 * at `now`. Flow-step runs (the child flow's span) are kept: the view draws them as a bracket.
 */
export function buildTimeline(elements: string[], runs: Iterable<StepRunRecord>, now: number): TimelineModel | null {
  const started = [...runs].filter((r) => r.startedAt !== null);
  if (started.length === 0) return null;
  let start = Infinity;
  let end = -Infinity;
  for (const r of started) {
    start = Math.min(start, r.startedAt as number);
    end = Math.max(end, r.finishedAt ?? now);
  }
  end = Math.max(end, start + 1);
  const total = end - start;
  const byElement = new Map<string, Bar[]>();
  for (const e of elements) byElement.set(e, []);
  for (const run of started.sort((a, b) => (a.startedAt as number) - (b.startedAt as number) || a.id - b.id)) {
    const s = run.startedAt as number;
    const f = run.finishedAt ?? now;
    const bars = byElement.get(run.element) ?? [];
    bars.push({ run, left: (s - start) / total, width: Math.max(0, f - s) / total });
    byElement.set(run.element, bars);
  }
  return { start, end, rows: [...byElement.entries()].map(([element, bars]) => ({ element, bars })) };
}

/** Round tick steps (ms) so about `count` ticks cover `total`. */
export function tickStep(total: number, count = 8): number {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
  return steps.find((s) => total / s <= count) ?? 86_400_000;
}
