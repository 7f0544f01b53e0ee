import type { Migration } from './migration';

/**
 * The order a flow with `gather` decided, batch by batch, and the facts it was decided on:
 * with `reorderEachBatch` the order changes during the run (a leader that moved after a
 * switchover still goes last), and the console shows why each batch held what it held.
 */
export const migration004: Migration = {
  version: 4,
  name: 'batch-orders',
  up(db) {
    db.exec(`
      CREATE TABLE batch_orders (
        execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        batch INTEGER NOT NULL,
        elements TEXT NOT NULL,
        facts TEXT NOT NULL,
        decided_at INTEGER NOT NULL,
        PRIMARY KEY (execution_id, path, batch)
      ) STRICT;
    `);
  },
};
