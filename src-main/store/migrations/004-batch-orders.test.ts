import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index';

describe('migration 004', () => {
  it('adds batch orders to a version-3 database, removed with their execution', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 3);
    const now = Date.now();
    db.prepare(`INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', ?)`).run(now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, queued_at) VALUES ('f', 1, 'running', 'cli', ?)`).run(now);
    migrate(db, 4);
    expect(schemaVersion(db)).toBe(4);
    db.prepare(`INSERT INTO batch_orders (execution_id, path, batch, elements, facts, decided_at) VALUES (1, '', 1, '["a"]', '{}', ?)`).run(now);
    db.prepare('DELETE FROM executions WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM batch_orders').get()).toEqual({ n: 0 });
  });
});
