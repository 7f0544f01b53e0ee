import type { StepRunStatus } from '../../src-shared/domain/execution';
import type { Db } from './db';

export interface PriorStepRunRow {
  id: number;
  element: string;
  path: string;
  attempt: number;
  status: StepRunStatus;
  exitCode: number | null;
  /** The `skipped` reason recorded with a skipped run, if any. */
  skipped: string | null;
}

/** Every step run of an execution, in the order they were recorded. */
export function priorStepRuns(db: Db, executionId: number): PriorStepRunRow[] {
  const rows = db
    .prepare('SELECT id, element_id, step_path, attempt, status, exit_code, result FROM step_runs WHERE execution_id = ? ORDER BY id')
    .all(executionId) as Array<{ id: number; element_id: string; step_path: string; attempt: number; status: StepRunStatus; exit_code: number | null; result: string | null }>;
  return rows.map((r) => ({
    id: r.id,
    element: r.element_id,
    path: r.step_path,
    attempt: r.attempt,
    status: r.status,
    exitCode: r.exit_code,
    skipped: r.result ? ((JSON.parse(r.result) as { skipped?: string }).skipped ?? null) : null,
  }));
}

/** A step run's stdout and stderr from its log, each cut at `limit` characters. */
export function stepOutput(db: Db, stepRunId: number, limit: number): { stdout: string; stderr: string } {
  const text = { stdout: '', stderr: '' };
  const chunks = db.prepare(`SELECT stream, data FROM log_chunks WHERE step_run_id = ? AND stream != 'system' ORDER BY id`).iterate(stepRunId) as IterableIterator<{
    stream: 'stdout' | 'stderr';
    data: string;
  }>;
  for (const c of chunks) {
    if (text[c.stream].length < limit) text[c.stream] += c.data.slice(0, limit - text[c.stream].length);
  }
  return text;
}
