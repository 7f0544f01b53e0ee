import type { Db } from './db';

/**
 * Removes finished executions (with their step runs, logs, labels and approvals, by cascade)
 * that ended before `cutoff`. Deletes in slices so a first sweep over years of history does
 * not hold the write lock long enough to stall a running execution's log commits.
 */
export function purgeFinishedBefore(db: Db, cutoff: number, slice = 200): number {
  const pick = db.prepare(
    `SELECT id FROM executions WHERE status IN ('succeeded', 'failed', 'cancelled', 'interrupted') AND finished_at < ? ORDER BY id LIMIT ?`,
  );
  const del = db.prepare('DELETE FROM executions WHERE id = ?');
  let removed = 0;
  for (;;) {
    const ids = (pick.all(cutoff, slice) as Array<{ id: number }>).map((r) => r.id);
    if (ids.length === 0) return removed;
    db.transaction(() => {
      for (const id of ids) removed += del.run(id).changes;
    })();
    if (ids.length < slice) return removed;
  }
}
