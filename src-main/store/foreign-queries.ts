import type { Db } from './db';
import type { LogStream, StepRunRecord } from '../../src-shared/domain/execution';
import { stepRunsByIds } from './execution-queries';

/** Commits by other connections (processes) since the last look: SQLite's own counter, no table read. */
export function dataVersion(db: Db): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/** Unfinished executions another process runs (or nobody: an orphaned pause). */
export function foreignUnfinishedIds(db: Db, self: { pid: number; host: string }): number[] {
  return (
    db
      .prepare(
        `SELECT id FROM executions WHERE status IN ('queued', 'running', 'paused')
           AND NOT (owner_pid IS NOT NULL AND owner_pid = ? AND owner_host = ?)`,
      )
      .all(self.pid, self.host) as Array<{ id: number }>
  ).map((r) => r.id);
}

export function maxLogChunkId(db: Db): number {
  return (db.prepare('SELECT COALESCE(max(id), 0) AS id FROM log_chunks').get() as { id: number }).id;
}

export function maxStepRunId(db: Db): number {
  return (db.prepare('SELECT COALESCE(max(id), 0) AS id FROM step_runs').get() as { id: number }).id;
}

/** Step runs of `executions` that are new since `afterId` or were still open at the last look. */
export function changedStepRuns(db: Db, executions: number[], afterId: number, open: number[]): StepRunRecord[] {
  if (executions.length === 0) return [];
  const ids = (
    db
      .prepare(
        `SELECT id FROM step_runs WHERE execution_id IN (SELECT value FROM json_each(?))
           AND (id > ? OR id IN (SELECT value FROM json_each(?)))`,
      )
      .all(JSON.stringify(executions), afterId, JSON.stringify(open)) as Array<{ id: number }>
  ).map((r) => r.id);
  return stepRunsByIds(db, ids);
}

export interface ForeignChunk {
  id: number;
  stepRunId: number;
  executionId: number;
  stream: LogStream;
  ts: number;
  data: string;
}

/** Log chunks committed after `afterId` for step runs of `executions`, oldest first, at most `limit`. */
export function newLogChunks(db: Db, executions: number[], afterId: number, limit: number): ForeignChunk[] {
  if (executions.length === 0) return [];
  return db
    .prepare(
      `SELECT c.id, c.step_run_id AS stepRunId, s.execution_id AS executionId, c.stream, c.ts, c.data
         FROM log_chunks c JOIN step_runs s ON s.id = c.step_run_id
        WHERE c.id > ? AND s.execution_id IN (SELECT value FROM json_each(?))
        ORDER BY c.id LIMIT ?`,
    )
    .all(afterId, JSON.stringify(executions), limit) as ForeignChunk[];
}
