import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { fakeRenderer } from '../ipc/harness';
import { TestClient } from '../ipc/ws-client';

const DAY = 24 * 3600 * 1000;

// Retention: executions and their logs older than N days go; nothing
// younger, and nothing still running, whatever its age.
describe('retention, set from the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-retention-'));
  const dbPath = join(dir, 'flowdeck.db');
  let hc: HeadlessConsole;
  let c: TestClient;

  beforeAll(async () => {
    hc = await startHeadless({ dbPath, rendererDir: fakeRenderer(dir) });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
  });
  afterAll(async () => {
    await c?.close();
    await hc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = (): { executions: number; step_runs: number; log_chunks: number; labels: number } => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const n = (t: string): number => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      return { executions: n('executions'), step_runs: n('step_runs'), log_chunks: n('log_chunks'), labels: n('labels') };
    } finally {
      db.close();
    }
  };

  it('removes executions, step runs, logs and labels older than N days at once when the setting is saved', async () => {
    await c.value('flows/save', { source: "id: talk\nname: talk\ntargets: { elements: [localhost] }\nsteps:\n  - { id: say, run: 'echo hello' }\n" });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await c.value<{ id: number }>('runs/start', { flow: 'talk', labels: { n: String(i) } });
      ids.push(id);
    }
    const finished = async (): Promise<boolean> => {
      const list = await c.value<Array<{ id: number; status: string }>>('executions/list', {});
      return ids.every((id) => list.find((e) => e.id === id)?.status === 'succeeded');
    };
    for (let i = 0; i < 100 && !(await finished()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await finished()).toBe(true);

    // Age them: #1 ended 40 days ago, #2 10 days ago, #3 now; and a 60-day-old one still "running".
    const db = new Database(dbPath);
    const now = Date.now();
    db.prepare('UPDATE executions SET queued_at = ?, started_at = ?, finished_at = ? WHERE id = ?').run(now - 40 * DAY, now - 40 * DAY, now - 40 * DAY, ids[0]);
    db.prepare('UPDATE executions SET queued_at = ?, started_at = ?, finished_at = ? WHERE id = ?').run(now - 10 * DAY, now - 10 * DAY, now - 10 * DAY, ids[1]);
    db.prepare(`UPDATE executions SET status = 'paused', pause_requested = 1, owner_pid = NULL, owner_host = NULL, queued_at = ?, finished_at = NULL WHERE id = ?`).run(
      now - 60 * DAY,
      ids[2],
    );
    db.close();
    const before = counts();
    expect(before.executions).toBe(3);

    expect(await c.value('settings/save', { retentionDays: 30 })).toEqual({ retentionDays: 30, maxConcurrentExecutions: 8, maxQueuedExecutions: null });
    const list = await c.value<Array<{ id: number }>>('executions/list', {});
    expect(list.map((e) => e.id).sort()).toEqual([ids[1], ids[2]].sort());
    const after = counts();
    expect(after).toEqual({ executions: 2, step_runs: before.step_runs - 1, log_chunks: before.log_chunks - 1, labels: before.labels - 1 });

    await c.value('settings/save', { retentionDays: 7 });
    expect((await c.value<Array<{ id: number }>>('executions/list', {})).map((e) => e.id)).toEqual([ids[2]]);

    // Keeping everything again removes nothing more.
    await c.value('settings/save', { retentionDays: null });
    expect(counts().executions).toBe(1);
  });
});
