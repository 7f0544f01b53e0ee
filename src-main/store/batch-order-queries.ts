import type { BatchOrderView } from '../../src-shared/domain/execution';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { Db } from './db';
import { cached } from './statements';

export function saveBatchOrder(db: Db, order: BatchOrderView & { executionId: number }): void {
  cached(
    db,
    `INSERT INTO batch_orders (execution_id, path, batch, elements, facts, decided_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (execution_id, path, batch) DO UPDATE SET elements = excluded.elements, facts = excluded.facts, decided_at = excluded.decided_at`,
  ).run(order.executionId, order.path, order.batch, JSON.stringify(order.elements), JSON.stringify(order.facts), order.decidedAt);
}

/** The orders a gather flow decided, in the order they were decided. */
export function listBatchOrders(db: Db, executionId: number): BatchOrderView[] {
  const rows = cached(db, `SELECT path, batch, elements, facts, decided_at FROM batch_orders WHERE execution_id = ? ORDER BY decided_at, path, batch`).all(
    executionId,
  ) as Array<{ path: string; batch: number; elements: string; facts: string; decided_at: number }>;
  return rows.map((r) => ({
    path: r.path,
    batch: r.batch,
    elements: JSON.parse(r.elements) as string[],
    facts: JSON.parse(r.facts) as Record<string, JsonValue>,
    decidedAt: r.decided_at,
  }));
}
