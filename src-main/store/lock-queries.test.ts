// Element locks on a real SQLite file: taken and given back at every step, re-entrant for an
// execution and its child flows, refused to another execution, and taken over from a holder
// that is gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db';
import { createExecution, finishExecution } from './execution-queries';
import { tryLockElement, unlockElement } from './lock-queries';

const ME = { pid: process.pid, host: 'here' };
const OTHER = { pid: 999_999, host: 'there' };

describe('element locks', () => {
  let dir: string;
  let db: Db;
  let a: number;
  let b: number;
  const holds = (element: string): { execution_id: number; holds: number } | undefined =>
    db.prepare('SELECT execution_id, holds FROM element_locks WHERE element_id = ?').get(element) as { execution_id: number; holds: number } | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowdeck-locks-'));
    db = openDb(join(dir, 'flowdeck.db'));
    // The executions' flow, as a stored version (the rows only, not a document anyone runs).
    db.prepare("INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES ('f', 'f', 1, 0, 0)").run();
    db.prepare("INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES ('f', 1, '{}', '', 0)").run();
    const execution = (owner: typeof ME): number => createExecution(db, { flow: 'f', flowVersion: 1, trigger: 'cli', params: {}, elements: ['web1'], owner });
    a = execution(ME);
    b = execution(OTHER);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a free element, counts nested holds of the same execution and frees it with the last', () => {
    expect(tryLockElement(db, 'web1', a, ME)).toBeNull();
    expect(holds('web1')).toEqual({ execution_id: a, holds: 1 });
    expect(tryLockElement(db, 'web1', a, ME)).toBeNull();
    expect(holds('web1')).toEqual({ execution_id: a, holds: 2 });
    unlockElement(db, 'web1', a);
    expect(holds('web1')).toEqual({ execution_id: a, holds: 1 });
    unlockElement(db, 'web1', a);
    expect(holds('web1')).toBeUndefined();
  });

  it('refuses another execution, naming the holder, and a release by it changes nothing', () => {
    expect(tryLockElement(db, 'web1', a, ME)).toBeNull();
    expect(tryLockElement(db, 'web1', b, OTHER, () => false)).toEqual({ executionId: a, ownerPid: ME.pid, ownerHost: ME.host, ended: false });
    expect(tryLockElement(db, 'web1', b, OTHER)).not.toBeNull();
    unlockElement(db, 'web1', b);
    expect(holds('web1')).toEqual({ execution_id: a, holds: 1 });
    unlockElement(db, 'web1', a);
    expect(tryLockElement(db, 'web1', b, OTHER)).toBeNull();
    expect(holds('web1')).toEqual({ execution_id: b, holds: 1 });
  });

  it('takes over from a holder the caller judges gone, and says when the holding execution ended', () => {
    expect(tryLockElement(db, 'web1', a, ME)).toBeNull();
    expect(tryLockElement(db, 'web1', a, ME)).toBeNull();
    finishExecution(db, a, 'failed', 'boom');
    let seen: unknown;
    expect(
      tryLockElement(db, 'web1', b, OTHER, (holder) => {
        seen = holder;
        return holder.ended;
      }),
    ).toBeNull();
    expect(seen).toMatchObject({ executionId: a, ended: true });
    expect(holds('web1')).toEqual({ execution_id: b, holds: 1 });
    // The old holder's late release does not free the new holder's lock.
    unlockElement(db, 'web1', a);
    expect(holds('web1')).toEqual({ execution_id: b, holds: 1 });
  });
});
