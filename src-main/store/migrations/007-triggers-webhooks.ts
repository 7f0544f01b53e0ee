import type { Migration } from './migration';

/**
 * HTTP triggers and webhooks. A trigger keeps only the SHA-256 of its token (shown once when it
 * is added); an execution it started names it, as a scheduled one names its schedule. A webhook
 * keeps its signing secret encrypted like credential secrets, and its last delivery, so the
 * console and `webhook list` show whether the receiver answers.
 */
export const migration007: Migration = {
  version: 7,
  name: 'triggers-webhooks',
  up(db) {
    db.exec(`
      CREATE TABLE http_triggers (
        id TEXT PRIMARY KEY,
        flow_id TEXT NOT NULL,
        name TEXT,
        token_sha256 BLOB NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        allow_params TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        last_execution_id INTEGER
      ) STRICT;
      ALTER TABLE executions ADD COLUMN trigger_id TEXT REFERENCES http_triggers(id) ON DELETE SET NULL;
      CREATE INDEX executions_by_trigger ON executions(trigger_id, id);
      CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret BLOB,
        created_at INTEGER NOT NULL,
        last_status TEXT,
        last_event TEXT,
        last_execution_id INTEGER,
        last_attempts INTEGER,
        last_http_status INTEGER,
        last_error TEXT,
        last_at INTEGER
      ) STRICT;
    `);
  },
};
