import type { Db } from './db';
import { cached } from './statements';

/** How full the queue is: executions running (live owners) and those waiting for a slot. */
export function queueLoad(db: Db, staleBefore: number): { running: number; waiting: number } {
  const row = cached(
    db,
    `SELECT sum(status = 'running') AS running, sum(status = 'queued') AS waiting FROM executions WHERE status IN ('running', 'queued') AND heartbeat_at >= ?`,
  ).get(staleBefore) as { running: number | null; waiting: number | null };
  return { running: row.running ?? 0, waiting: row.waiting ?? 0 };
}

/**
 * Moves `id` from `queued` to `running` if it is its turn: fewer than `limit` executions run
 * (counting only those whose owner's heartbeat is fresh: a crashed process holds no slot) and
 * no waiting execution comes before it (higher priority, then earlier arrival). One IMMEDIATE
 * transaction, so two processes cannot both take the last slot.
 */
export function admitIfTurn(db: Db, id: number, limit: number, staleBefore: number): boolean {
  return db
    .transaction((): boolean => {
      const running = (cached(db, `SELECT count(*) AS n FROM executions WHERE status = 'running' AND heartbeat_at >= ?`).get(staleBefore) as { n: number }).n;
      if (running >= limit) return false;
      const first = cached(
        db,
        `SELECT id FROM executions WHERE status = 'queued' AND pause_requested = 0 AND heartbeat_at >= ? ORDER BY priority DESC, id ASC LIMIT 1`,
      ).get(staleBefore) as { id: number } | undefined;
      if (first?.id !== id) return false;
      const now = Date.now();
      return (
        cached(db, `UPDATE executions SET status = 'running', started_at = COALESCE(started_at, ?), heartbeat_at = ? WHERE id = ? AND status = 'queued'`).run(
          now,
          now,
          id,
        ).changes > 0
      );
    })
    .immediate();
}
