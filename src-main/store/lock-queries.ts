import type { Db } from './db';
import { cached } from './statements';

export interface LockHolder {
  executionId: number;
  ownerPid: number;
  ownerHost: string;
  /** The holding execution has ended (a crash can leave its lock behind). */
  ended: boolean;
}

/**
 * Takes the element's lock for `executionId` (re-entrant: the execution's child flows share
 * it). When someone else holds it, returns the holder so the caller can judge whether it is
 * still alive; `takeOver` then replaces a dead holder.
 */
export function tryLockElement(
  db: Db,
  element: string,
  executionId: number,
  owner: { pid: number; host: string },
  takeOver?: (holder: LockHolder) => boolean,
): LockHolder | null {
  // Taken at every step start: the usual case (the element is free, or already this
  // execution's) is one statement; only a lock held by another execution takes the path below.
  const taken = cached(
    db,
    `INSERT INTO element_locks (element_id, execution_id, holds, owner_pid, owner_host, acquired_at) VALUES (?, ?, 1, ?, ?, ?)
       ON CONFLICT(element_id) DO UPDATE SET holds = holds + 1 WHERE execution_id = excluded.execution_id`,
  ).run(element, executionId, owner.pid, owner.host, Date.now());
  if (taken.changes > 0) return null;
  return db
    .transaction((): LockHolder | null => {
      const row = cached(
        db,
        `SELECT l.execution_id, l.owner_pid, l.owner_host, e.status
           FROM element_locks l LEFT JOIN executions e ON e.id = l.execution_id WHERE l.element_id = ?`,
      ).get(element) as { execution_id: number; owner_pid: number; owner_host: string; status: string | null } | undefined;
      if (!row) {
        cached(db, `INSERT INTO element_locks (element_id, execution_id, holds, owner_pid, owner_host, acquired_at) VALUES (?, ?, 1, ?, ?, ?)`).run(
          element,
          executionId,
          owner.pid,
          owner.host,
          Date.now(),
        );
        return null;
      }
      if (row.execution_id === executionId) {
        cached(db, 'UPDATE element_locks SET holds = holds + 1 WHERE element_id = ?').run(element);
        return null;
      }
      const holder: LockHolder = {
        executionId: row.execution_id,
        ownerPid: row.owner_pid,
        ownerHost: row.owner_host,
        ended: row.status === null || !['queued', 'running', 'paused'].includes(row.status),
      };
      if (!takeOver?.(holder)) return holder;
      cached(db, `UPDATE element_locks SET execution_id = ?, holds = 1, owner_pid = ?, owner_host = ?, acquired_at = ? WHERE element_id = ?`).run(
        executionId,
        owner.pid,
        owner.host,
        Date.now(),
        element,
      );
      return null;
    })
    .immediate();
}

/**
 * Gives back one hold. Released at every step end: the last hold (the usual case) goes in one
 * statement. Only this execution changes a lock it holds, so the two statements of a nested
 * release need no transaction around them.
 */
export function unlockElement(db: Db, element: string, executionId: number): void {
  const gone = cached(db, 'DELETE FROM element_locks WHERE element_id = ? AND execution_id = ? AND holds <= 1').run(element, executionId);
  if (gone.changes > 0) return;
  cached(db, 'UPDATE element_locks SET holds = holds - 1 WHERE element_id = ? AND execution_id = ?').run(element, executionId);
}
