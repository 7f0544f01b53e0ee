import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index';

describe('migration 006', () => {
  it("keeps a version-5 database's elements and step runs, adding an element's zone and a step run's runner (empty)", () => {
    const db = new Database(':memory:');
    migrate(db, 5);
    const now = Date.now();
    db.prepare(`INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', ?)`).run(now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, queued_at) VALUES ('f', 1, 'succeeded', 'cli', ?)`).run(now);
    db.prepare(`INSERT INTO step_runs (execution_id, element_id, step_path, kind, attempt, status) VALUES (1, 'localhost', 'a', 'run', 1, 'succeeded')`).run();
    migrate(db, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare(`SELECT id, zone FROM elements`).all()).toEqual([{ id: 'localhost', zone: null }]);
    expect(db.prepare(`SELECT element_id, status, runner FROM step_runs`).all()).toEqual([{ element_id: 'localhost', status: 'succeeded', runner: null }]);
    db.prepare(`UPDATE step_runs SET runner = 'r1'`).run();
    expect(db.prepare(`SELECT runner FROM step_runs`).get()).toEqual({ runner: 'r1' });
  });
});
