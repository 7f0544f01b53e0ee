import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { ExecutionStatus } from '../../src-shared/domain/execution';
import { waitFor, type Workspace } from '../support/cli';

/** Reads the workspace's database the way a second process would: read-only, fresh each time. */
export function query<T>(ws: Workspace, sql: string, ...args: unknown[]): T[] {
  const db = new Database(ws.db, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

export function writeDb(ws: Workspace, sql: string, ...args: unknown[]): void {
  const db = new Database(ws.db, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

export interface RunRow {
  id: number;
  element_id: string;
  step_path: string;
  kind: string;
  attempt: number;
  status: string;
  started_at: number | null;
  finished_at: number | null;
  result: string | null;
}

export const stepRuns = (ws: Workspace, executionId: number): RunRow[] =>
  query<RunRow>(ws, 'SELECT id, element_id, step_path, kind, attempt, status, started_at, finished_at, result FROM step_runs WHERE execution_id = ? ORDER BY id', executionId);

export const statusOf = (ws: Workspace, id: number): ExecutionStatus | undefined =>
  query<{ status: ExecutionStatus }>(ws, 'SELECT status FROM executions WHERE id = ?', id)[0]?.status;

export async function latestExecution(ws: Workspace, flow: string, after = 0): Promise<number> {
  return waitFor(`an execution of ${flow}`, () => query<{ id: number }>(ws, 'SELECT id FROM executions WHERE flow_id = ? AND id > ? ORDER BY id DESC LIMIT 1', flow, after)[0]?.id, 30_000);
}

export async function waitStatus(ws: Workspace, id: number, status: ExecutionStatus, timeoutMs = 30_000): Promise<void> {
  await waitFor(`execution #${id} to be ${status}`, () => statusOf(ws, id) === status, timeoutMs);
}

export async function waitRunning(ws: Workspace, id: number, step: string, element?: string): Promise<void> {
  await waitFor(
    `step ${step} running in #${id}`,
    () => stepRuns(ws, id).some((r) => r.step_path === step && r.status === 'running' && (element === undefined || r.element_id === element)),
    30_000,
  );
}

/** No two step runs on the same element overlap in time (start inclusive, end exclusive). */
export function expectNoOverlapPerElement(runs: Array<{ element_id: string; started_at: number | null; finished_at: number | null; id: number }>): void {
  const byElement = new Map<string, typeof runs>();
  for (const r of runs) if (r.started_at !== null && r.finished_at !== null) (byElement.get(r.element_id) ?? byElement.set(r.element_id, []).get(r.element_id))?.push(r);
  for (const [el, list] of byElement) {
    const sorted = [...list].sort((a, b) => (a.started_at as number) - (b.started_at as number));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as (typeof runs)[number];
      const cur = sorted[i] as (typeof runs)[number];
      expect(cur.started_at, `step runs #${prev.id} and #${cur.id} overlap on ${el}`).toBeGreaterThanOrEqual(prev.finished_at as number);
    }
  }
}
