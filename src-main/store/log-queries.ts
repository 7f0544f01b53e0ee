import type { Db } from './db';
import { cached } from './statements';
import type { LogStream } from '../../src-shared/domain/execution';

export interface PendingChunk {
  stepRunId: number;
  stream: LogStream;
  ts: number;
  data: string;
}

/** One transaction per flush: a busy run costs one commit per interval, not one per line. */
export function appendLogChunks(db: Db, chunks: readonly PendingChunk[]): void {
  if (chunks.length === 0) return;
  const stmt = cached(db, 'INSERT INTO log_chunks (step_run_id, stream, ts, data) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of chunks) stmt.run(c.stepRunId, c.stream, c.ts, c.data);
  })();
}

export interface StoredChunk {
  id: number;
  stepRunId: number;
  stream: LogStream;
  ts: number;
  data: string;
}

/** Streams a step run's log chunk by chunk so a 200 MB log never sits in memory whole. */
export function* iterateLog(db: Db, stepRunIds: readonly number[]): Generator<StoredChunk> {
  const stmt = db.prepare(
    'SELECT id, step_run_id AS stepRunId, stream, ts, data FROM log_chunks WHERE step_run_id = ? ORDER BY id',
  );
  for (const id of stepRunIds) {
    for (const row of stmt.iterate(id) as IterableIterator<StoredChunk>) yield row;
  }
}
