import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestVersion, migrate, migrations, schemaVersion } from './index';
import { openDb } from '../db';

const tables = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestVersion).toBe(migrations.length);
  });

  it('001 creates every table family and the built-in localhost element', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(
      ['credentials', 'elements', 'executions', 'flow_versions', 'flows', 'groups', 'known_hosts', 'labels', 'log_chunks', 'profiles', 'schedules', 'settings', 'step_runs', 'tasks'].sort(),
    );
    expect(db.prepare(`SELECT id, transport, builtin FROM elements`).all()).toEqual([{ id: 'localhost', transport: 'local', builtin: 1 }]);
  });

  it('002 keeps a version-1 database\'s executions and adds control, approvals, locks and schedule forms', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    const now = Date.now();
    db.prepare(`INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', ?)`).run(now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, queued_at) VALUES ('f', 1, 'succeeded', 'cli', ?)`).run(now);
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['approvals', 'element_locks']));
    expect(db.prepare(`SELECT status, pause_requested, cancel_requested, schedule_id FROM executions`).all()).toEqual([
      { status: 'succeeded', pause_requested: 0, cancel_requested: null, schedule_id: null },
    ]);
    const cols = (db.prepare(`PRAGMA table_info(schedules)`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['name', 'days', 'at']));
  });

  it('is idempotent: a second run changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.prepare('SELECT count(*) AS n FROM elements').get()).toEqual({ n: 1 });
  });

  it('refuses a database from a newer Flowdeck and leaves it untouched', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${latestVersion + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this Flowdeck understands/);
    expect(tables(db)).toEqual([]);
  });

  it('a failing migration rolls back whole', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE elements (x INTEGER)');
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual(['elements']);
  });

  it('openDb uses WAL on a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowdeck-db-'));
    try {
      const db = openDb(join(dir, 'sub', 'f.db'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(schemaVersion(db)).toBe(latestVersion);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
