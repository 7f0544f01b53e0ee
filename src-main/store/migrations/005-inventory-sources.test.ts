import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index';

describe('migration 005', () => {
  it("keeps a version-4 database's inventory and adds the per-file layers, whose rows go with their source", () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare(`INSERT INTO elements (id, name, host, transport, groups, context, updated_at) VALUES ('web1', 'web1', '10.0.0.1', 'ssh', '["web"]', '{"a":1}', 0)`).run();
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare(`SELECT id, host, groups, context FROM elements WHERE id = 'web1'`).get()).toEqual({ id: 'web1', host: '10.0.0.1', groups: '["web"]', context: '{"a":1}' });
    const src = db.prepare(`INSERT INTO inventory_sources (name, format, ansible, imported_at) VALUES ('/inv/a.ini', 'ansible-ini', 1, 0)`).run().lastInsertRowid;
    db.prepare(`INSERT INTO source_memberships (source_id, element_id, group_name, position) VALUES (?, 'web1', 'web', 0)`).run(src);
    db.prepare(`INSERT INTO source_vars (source_id, owner_kind, owner, key, value, position) VALUES (?, 'group', 'web', 'x', '1', 0)`).run(src);
    expect(() => db.prepare(`INSERT INTO source_vars (source_id, owner_kind, owner, key, value, position) VALUES (?, 'host', 'web1', 'x', '1', 0)`).run(src)).toThrow(/CHECK/);
    db.prepare(`DELETE FROM inventory_sources WHERE id = ?`).run(src);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM source_memberships`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM source_vars`).get()).toEqual({ n: 0 });
  });
});
