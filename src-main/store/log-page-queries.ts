import type { Db } from './db';
import type { LogStream, StepRunStatus } from '../../src-shared/domain/execution';

interface LogPageChunk {
  id: number;
  stream: LogStream;
  ts: number;
  data: string;
}

export interface StoredLogPage {
  chunks: LogPageChunk[];
  /** The id of the last chunk returned, or `after` when none came. */
  last: number;
  /** The step run has finished and this page reached the end of its log: nothing more will come. */
  done: boolean;
}

/** A page stops at this many characters (after at least one chunk): 2,000 chunks of 64 KB would be 128 MB. */
const LOG_PAGE_MAX_CHARS = 4 * 1024 * 1024;

const UNFINISHED: readonly StepRunStatus[] = ['pending', 'running'];

/**
 * One page of a step run's log, oldest first, the chunks after chunk id `after`; undefined for an
 * unknown step run. Read in one transaction, status first: the engine commits a step run's last
 * chunks before it marks the run finished, so a finished status means every chunk is visible.
 */
export function logPage(db: Db, stepRunId: number, after: number, limit: number, maxChars = LOG_PAGE_MAX_CHARS): StoredLogPage | undefined {
  return db.transaction((): StoredLogPage | undefined => {
    const run = db.prepare('SELECT status FROM step_runs WHERE id = ?').get(stepRunId) as { status: StepRunStatus } | undefined;
    if (!run) return undefined;
    const rows = db
      .prepare('SELECT id, stream, ts, data FROM log_chunks WHERE step_run_id = ? AND id > ? ORDER BY id LIMIT ?')
      .iterate(stepRunId, after, limit + 1) as IterableIterator<LogPageChunk>;
    const chunks: LogPageChunk[] = [];
    let chars = 0;
    let more = false;
    for (const row of rows) {
      if (chunks.length >= limit || (chunks.length > 0 && chars + row.data.length > maxChars)) {
        more = true;
        break;
      }
      chunks.push(row);
      chars += row.data.length;
    }
    return { chunks, last: chunks.at(-1)?.id ?? after, done: !UNFINISHED.includes(run.status) && !more };
  })();
}
