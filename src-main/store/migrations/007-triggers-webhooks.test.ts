import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index';

describe('migration 007', () => {
  it("keeps a version-6 database's executions, adds triggers (an execution names its own, cleared when it is removed) and webhooks", () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 6);
    const now = Date.now();
    db.prepare(`INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', ?)`).run(now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, queued_at) VALUES ('f', 1, 'succeeded', 'cli', ?)`).run(now);
    migrate(db, 7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare(`SELECT id, trigger, trigger_id FROM executions`).all()).toEqual([{ id: 1, trigger: 'cli', trigger_id: null }]);
    db.prepare(`INSERT INTO http_triggers (id, flow_id, token_sha256, created_at) VALUES ('00000000000000aa', 'f', ?, ?)`).run(Buffer.alloc(32), now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, trigger_id, queued_at) VALUES ('f', 1, 'succeeded', 'http', '00000000000000aa', ?)`).run(now);
    db.prepare(`DELETE FROM http_triggers`).run();
    expect(db.prepare(`SELECT trigger, trigger_id FROM executions WHERE id = 2`).get()).toEqual({ trigger: 'http', trigger_id: null });
    db.prepare(`INSERT INTO webhooks (url, events, created_at) VALUES ('https://example.invalid/h', '["finished"]', ?)`).run(now);
    expect(db.prepare(`SELECT url, secret, last_status FROM webhooks`).get()).toEqual({ url: 'https://example.invalid/h', secret: null, last_status: null });
  });
});
