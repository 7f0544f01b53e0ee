import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index';

describe('migration 003', () => {
  it("keeps a version-2 database's step runs and indexes only the open ones, which the stray sweep reads", () => {
    const db = new Database(':memory:');
    migrate(db, 2);
    const now = Date.now();
    db.prepare(`INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', ?)`).run(now);
    db.prepare(`INSERT INTO executions (flow_id, flow_version, status, trigger, queued_at) VALUES ('f', 1, 'failed', 'cli', ?)`).run(now);
    const run = db.prepare(`INSERT INTO step_runs (execution_id, element_id, step_path, kind, attempt, status) VALUES (1, 'e', 'a', 'run', 1, ?)`);
    for (const status of ['succeeded', 'running', 'pending', 'failed']) run.run(status);
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare(`SELECT status FROM step_runs ORDER BY id`).all()).toEqual([{ status: 'succeeded' }, { status: 'running' }, { status: 'pending' }, { status: 'failed' }]);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT r.id FROM step_runs r JOIN executions e ON e.id = r.execution_id WHERE r.status IN ('pending', 'running') AND e.status NOT IN ('queued', 'running', 'paused')`)
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('USING INDEX step_runs_open');
    expect(db.prepare(`SELECT r.id FROM step_runs AS r INDEXED BY step_runs_open WHERE r.status IN ('pending', 'running') ORDER BY r.id`).all()).toEqual([{ id: 2 }, { id: 3 }]);
  });
});
