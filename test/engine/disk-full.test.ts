// The disk fills up during a run: writes start failing with SQLITE_FULL. The execution must end
// in a definite state with no step run left `running`, the process must survive, and whatever a
// failure did leave open in an ended execution is closed by the next start of any process.
//
// SQLite's max_page_count caps the database file on one connection: inserts that need a new
// page fail with SQLITE_FULL exactly as on a full disk, while updates in place still work, so
// the run can record how it ended. It is a per-connection setting, hence the engine runs
// in-process here; the recovery half goes through the CLI as a process.
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { createExecution, insertStepRun, markExecutionStarted } from '../../src-main/store/execution-queries';
import { openDb } from '../../src-main/store/db';
import { EngineHarness } from '../support/engine';
import { Workspace } from '../support/cli';

/** Prints about 3 MB: past the 1 MiB flush threshold (flushed from the output callback) and over several 200 ms timer flushes. */
const FLOOD = `
id: flood
name: flood
targets: { elements: [box] }
params: [{ name: rounds, default: 40 }]
steps:
  - id: talk
    run: |
      for round in $(seq 1 {{ params.rounds }}); do
        i=0; while [ $i -lt 8000 ]; do i=$((i+1)); echo "round $round line $i: a step that prints a lot of text, page after page, until the disk is full"; done
        sleep 0.3
      done
  - id: after
    run: echo after
`;

const open = (rep: ExecutionReport): string[] => rep.runs.filter((r) => r.status === 'running' || r.status === 'pending').map((r) => `${r.step}:${r.status}`);

describe('disk full while a step prints', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = await new EngineHarness().open();
    h.inventory('elements:\n  - { id: box, name: box, host: localhost, transport: local }\n').flows(FLOOD);
  });
  afterEach(() => h.close());

  it('the execution fails saying why, no step run stays running, and the process lives on', async () => {
    const pages = h.rt.db.pragma('page_count', { simple: true }) as number;
    h.rt.db.pragma(`max_page_count = ${pages + 16}`);
    const rep = await h.run('flood');
    expect(rep.status).toBe('failed');
    expect(rep.error).toMatch(/database or disk is full/);
    expect(open(rep)).toEqual([]);
    for (const r of rep.runs) if (r.startedAt !== null) expect(r.finishedAt, `${r.step} finished`).not.toBeNull();
    const talk = rep.runs.find((r) => r.step === 'talk');
    expect(talk?.status).toBe('failed');
    // Stopped when the write failed, not left printing into the void for its remaining rounds.
    expect(talk?.exitCode).toBeNull();
    expect(rep.runs.filter((r) => r.step === 'after')).toEqual([]);

    // Room again: the same process runs the next execution whole.
    h.rt.db.pragma('max_page_count = 1073741823');
    const next = await h.run('flood', { params: { rounds: 2 } });
    expect(next.status).toBe('succeeded');
    expect(open(next)).toEqual([]);
  }, 60_000);
});

describe('a fresh start closes step runs left open in ended executions', () => {
  const ws = new Workspace();
  afterEach(() => ws.dispose());

  it('any CLI command closes them, at the execution end; a live run of another process is left alone', async () => {
    const imp = await ws.run(['flow', 'import', ws.file('f.yaml', 'id: f\nname: f\ntargets: { elements: [localhost] }\nsteps:\n  - { id: a, run: "true" }\n')]);
    expect(imp.code, imp.stderr).toBe(0);
    const db = openDb(ws.db);
    const finishedAt = Date.now() - 60_000;
    const stray = (status: 'failed' | 'cancelled' | 'interrupted', runStatus: 'running' | 'pending'): number => {
      const id = createExecution(db, { flow: 'f', flowVersion: 1, trigger: 'manual', params: {}, elements: ['localhost'], owner: { pid: 1, host: 'gone' } });
      markExecutionStarted(db, id, ['localhost']);
      insertStepRun(db, { executionId: id, element: 'localhost', step: 'a', kind: 'run', attempt: 1, status: runStatus, startedAt: finishedAt - 1000 });
      // What a failed write left behind: the execution ended, its step run never did.
      db.prepare(`UPDATE executions SET status = ?, finished_at = ?, owner_pid = NULL WHERE id = ?`).run(status, finishedAt, id);
      return id;
    };
    const failed = stray('failed', 'running');
    const cancelled = stray('cancelled', 'running');
    const interrupted = stray('interrupted', 'pending');
    // A run this (live) process owns, heartbeat fresh: still running, its step run too.
    const live = createExecution(db, { flow: 'f', flowVersion: 1, trigger: 'manual', params: {}, elements: ['localhost'], owner: { pid: process.pid, host: hostname() } });
    markExecutionStarted(db, live, ['localhost']);
    insertStepRun(db, { executionId: live, element: 'localhost', step: 'a', kind: 'run', attempt: 1, status: 'running', startedAt: Date.now() });
    db.close();

    const r = await ws.run(['executions', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);

    const check = new Database(ws.db, { readonly: true });
    try {
      const rows = check.prepare('SELECT execution_id AS e, status, finished_at AS f, error FROM step_runs ORDER BY id').all() as Array<{ e: number; status: string; f: number | null; error: string | null }>;
      expect(rows.map((x) => [x.e, x.status])).toEqual([
        [failed, 'failed'],
        [cancelled, 'cancelled'],
        [interrupted, 'interrupted'],
        [live, 'running'],
      ]);
      for (const x of rows.slice(0, 3)) {
        expect(x.f).toBe(finishedAt);
        expect(x.error).toMatch(/the execution ended \((failed|cancelled|interrupted)\) before this step run was recorded as finished/);
      }
    } finally {
      check.close();
    }
  });
});
