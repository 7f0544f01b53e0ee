import type { Migration } from './migration';

/**
 * Execution control and schedules: requests any process can write and the owning
 * process follows (pause, cancel), approvals, cross-process element locks, the day/time form
 * of a schedule, and the schedule an execution came from.
 */
export const migration002: Migration = {
  version: 2,
  name: 'control',
  up(db) {
    db.exec(`
      -- Desired state, written by whoever asks (another CLI process, a console) and followed
      -- by the owner; it is state, not a message, so it survives a restart of either side.
      ALTER TABLE executions ADD COLUMN pause_requested INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE executions ADD COLUMN cancel_requested TEXT;
      ALTER TABLE executions ADD COLUMN schedule_id INTEGER REFERENCES schedules(id) ON DELETE SET NULL;
      ALTER TABLE executions ADD COLUMN resumed_at INTEGER;
      CREATE INDEX executions_by_queue ON executions(status, priority DESC, id);
      CREATE INDEX executions_by_time ON executions(queued_at);
      CREATE INDEX executions_by_schedule ON executions(schedule_id, id);

      CREATE TABLE approvals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
        step_path TEXT NOT NULL,
        -- the element it was asked for in a serial flow; NULL when one answer covers a batch
        element_id TEXT,
        message TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
        requested_at INTEGER NOT NULL,
        decided_by TEXT,
        decided_at INTEGER,
        comment TEXT
      ) STRICT;
      CREATE INDEX approvals_by_execution ON approvals(execution_id, id);

      -- One step at a time per element across executions and processes. Held by an
      -- execution (its child flows share it), released when the step run ends.
      CREATE TABLE element_locks (
        element_id TEXT PRIMARY KEY,
        execution_id INTEGER NOT NULL,
        holds INTEGER NOT NULL DEFAULT 1,
        owner_pid INTEGER NOT NULL,
        owner_host TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE schedules ADD COLUMN name TEXT;
      -- The UI's form: days of the week (JSON array of mon..sun) and HH:MM; NULL for a cron schedule.
      ALTER TABLE schedules ADD COLUMN days TEXT;
      ALTER TABLE schedules ADD COLUMN at TEXT;
      CREATE INDEX schedules_by_flow ON schedules(flow_id);
    `);
  },
};
