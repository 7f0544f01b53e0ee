import { finishedExecutionStatuses, type ApprovalView } from '../../src-shared/domain/execution';
import type { EngineRuntime } from '../engine/runtime';
import { listApprovals } from '../store/control-queries';
import { getExecution } from '../store/execution-queries';
import { changedStepRuns, dataVersion, foreignUnfinishedIds, maxLogChunkId, maxStepRunId, newLogChunks } from '../store/foreign-queries';

interface Tracked {
  summary: string;
  /** Step run id -> what was last said of it, to emit only changes and to re-read the open ones. */
  runs: Map<number, { status: string; finishedAt: number | null }>;
  approvals: Map<number, string>;
}

const CHUNKS_PER_QUERY = 2000;

/**
 * Live updates for executions another process runs (a `flowdeck run` in a terminal, another
 * console), so the window shows them as it shows its own: it reads what that process commits
 * and emits the same engine events. Cheap when nothing changes: SQLite's data_version says
 * whether another connection committed anything since the last look.
 */
export function watchForeignExecutions(rt: EngineRuntime, intervalMs = 300): { stop(): void } {
  const { db, deps } = rt;
  const tracked = new Map<number, Tracked>();
  let version = -1;
  let lastChunk = maxLogChunkId(db);
  let lastRun = maxStepRunId(db);

  const key = (...parts: unknown[]): string => JSON.stringify(parts);

  function approvalsOf(id: number, t: Tracked, flow: string): void {
    for (const a of listApprovals(db, id)) {
      const k = key(a.status, a.decidedAt);
      if (t.approvals.get(a.id) === k) continue;
      const fresh = !t.approvals.has(a.id);
      t.approvals.set(a.id, k);
      deps.events.emit('approval', a);
      if (fresh && a.status === 'pending') notifyApproval(a, flow);
    }
  }

  function notifyApproval(a: ApprovalView, flow: string): void {
    deps.events.emit('notice', { kind: 'approval', executionId: a.executionId, flow, status: 'running', message: `${flow} (#${a.executionId}) waits for approval: ${a.message}` });
  }

  function tick(): void {
    const v = dataVersion(db);
    if (v === version) return;
    version = v;
    for (const id of foreignUnfinishedIds(db, deps.owner)) if (!tracked.has(id)) tracked.set(id, { summary: '', runs: new Map(), approvals: new Map() });
    const ids = [...tracked.keys()];
    if (ids.length === 0) {
      lastChunk = maxLogChunkId(db);
      lastRun = maxStepRunId(db);
      return;
    }
    // Output first, then step runs, then the execution: a window never sees a run end before its last lines.
    for (let chunks = newLogChunks(db, ids, lastChunk, CHUNKS_PER_QUERY); chunks.length > 0; chunks = newLogChunks(db, ids, lastChunk, CHUNKS_PER_QUERY)) {
      for (const c of chunks) deps.events.emit('log', { executionId: c.executionId, stepRunId: c.stepRunId, stream: c.stream, ts: c.ts, data: c.data });
      lastChunk = (chunks[chunks.length - 1] as (typeof chunks)[number]).id;
      if (chunks.length < CHUNKS_PER_QUERY) break;
    }
    const open = [...tracked.values()].flatMap((t) => [...t.runs].filter(([, r]) => r.status === 'running' || r.status === 'pending').map(([id]) => id));
    for (const r of changedStepRuns(db, ids, lastRun, open)) {
      const t = tracked.get(r.executionId);
      lastRun = Math.max(lastRun, r.id);
      if (!t) continue;
      const seen = t.runs.get(r.id);
      if (seen && seen.status === r.status && seen.finishedAt === r.finishedAt) continue;
      t.runs.set(r.id, { status: r.status, finishedAt: r.finishedAt });
      deps.events.emit('stepRun', r);
    }
    for (const [id, t] of tracked) {
      const s = getExecution(db, id);
      if (!s) {
        tracked.delete(id);
        continue;
      }
      approvalsOf(id, t, s.flow);
      const k = key(s.status, s.pauseRequested, s.pendingApprovals, s.error, s.startedAt);
      if (k !== t.summary) {
        t.summary = k;
        deps.events.emit('execution', s);
      }
      if (finishedExecutionStatuses.includes(s.status)) {
        tracked.delete(id);
        deps.events.emit('notice', { kind: 'finished', executionId: id, flow: s.flow, status: s.status, message: `${s.flow} (#${id}) ${s.status}${s.error ? `: ${s.error}` : ''}` });
      }
    }
  }

  const timer = setInterval(() => {
    try {
      tick();
    } catch (e) {
      process.stderr.write(`flowdeck: following other processes' executions: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
