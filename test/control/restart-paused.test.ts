import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import type { Events } from '../../src-shared/ipc/contract';
import { startHeadless } from '../../src-main/headless/server';
import { fakeRenderer } from '../ipc/harness';
import { TestClient } from '../ipc/ws-client';

// A pause survives a restart. Closing the console (or the app) cancels what
// runs, but an execution that is paused stays paused, ownerless, and a later console resumes it.
describe('a paused execution across a restart of the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-restart-'));
  const dbPath = join(dir, 'flowdeck.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const row = (id: number): { status: string; owner_pid: number | null } => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db.prepare('SELECT status, owner_pid FROM executions WHERE id = ?').get(id) as { status: string; owner_pid: number | null };
    } finally {
      db.close();
    }
  };

  it('stays paused when the console stops, and a new console resumes it without rerunning what succeeded', { timeout: 60_000 }, async () => {
    const renderer = fakeRenderer(dir);
    let hc = await startHeadless({ dbPath, rendererDir: renderer });
    let c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
    await c.value('flows/save', { source: "id: two\nname: two\ntargets: { elements: [localhost] }\nsteps:\n  - { id: first, run: 'sleep 0.5' }\n  - { id: second, run: 'echo second' }\n" });
    const { id } = await c.value<{ id: number }>('runs/start', { flow: 'two' });
    await c.until(() => c.events.find((e) => e.event === 'stepRuns/changed' && (e.payload as Events['stepRuns/changed']).runs.some((r) => r.step === 'first' && r.status === 'running')));
    await c.value('executions/pause', { id });
    await c.until(() => c.events.find((e) => e.event === 'stepRuns/changed' && (e.payload as Events['stepRuns/changed']).runs.some((r) => r.step === 'first' && r.status === 'succeeded')));
    expect(row(id).status).toBe('paused');
    await c.close();
    await hc.close();
    expect(row(id)).toEqual({ status: 'paused', owner_pid: null });

    hc = await startHeadless({ dbPath, rendererDir: renderer });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
    try {
      expect((await c.value<ExecutionReport>('executions/get', { id })).status).toBe('paused');
      await c.value('executions/resume', { id });
      await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === id && (e.payload as Events['execution/changed']).status === 'succeeded'));
      const rep = await c.value<ExecutionReport>('executions/get', { id });
      expect(rep.runs.map((r) => `${r.step}#${r.attempt}:${r.status}`)).toEqual(['first#1:succeeded', 'second#1:succeeded']);
    } finally {
      await c.close();
      await hc.close();
    }
  });
});
