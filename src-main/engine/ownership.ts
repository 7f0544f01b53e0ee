import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Db } from '../store/db';
import { closeStrayStepRuns, listUnfinishedExecutions, markInterrupted, orphanPaused, touchHeartbeats } from '../store/execution-queries';

/** How often a running process says it is alive, and how old a heartbeat may get before its runs count as dead. */
const HEARTBEAT_MS = 2000;
export const STALE_MS = 30_000;

export function currentOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

/**
 * Whether a process still runs. A zombie (exited, not yet reaped: PID 1 in a container may
 * never reap) counts as gone; /proc tells on Linux, elsewhere signal 0 is the best answer.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Keeps this process's unfinished executions' heartbeats fresh; returns a stop function. */
export function startHeartbeat(db: Db, owner = currentOwner()): () => void {
  const timer = setInterval(() => touchHeartbeats(db, owner, Date.now()), HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * At start: runs whose owning process is gone (killed, crashed, machine rebooted) become
 * `interrupted`. A run another live process still owns is left alone: its pid answers and
 * its heartbeat is fresh (the heartbeat guards against a reused pid). Then any step run still
 * open in an execution that has ended, whatever left it so, is closed (see closeStrayStepRuns).
 */
export function recoverInterrupted(db: Db, owner = currentOwner(), now = Date.now()): number[] {
  const recovered: number[] = [];
  for (const e of listUnfinishedExecutions(db)) {
    if (e.ownerPid === null && e.status === 'paused') continue;
    if (e.ownerPid === owner.pid && e.ownerHost === owner.host) continue;
    if (ownerAlive(e, owner, now)) continue;
    const why = `interrupted: the process that ran it (pid ${e.ownerPid ?? '?'} on ${e.ownerHost ?? '?'}) stopped before it finished`;
    // A pause survives a restart: the execution stays paused, ownerless, until someone resumes it.
    if (e.status === 'paused') orphanPaused(db, e.id, why);
    else {
      markInterrupted(db, e.id, why);
      recovered.push(e.id);
    }
  }
  closeStrayStepRuns(db, now);
  return recovered;
}

/** Whether the process that owns an execution is still there to follow requests for it. */
export function ownerAlive(o: { ownerPid: number | null; ownerHost: string | null; heartbeatAt: number | null }, self = currentOwner(), now = Date.now()): boolean {
  if (o.ownerPid === null || o.ownerHost === null) return false;
  const fresh = o.heartbeatAt !== null && now - o.heartbeatAt < STALE_MS;
  if (o.ownerHost !== self.host) return fresh;
  return (o.ownerPid === self.pid || processAlive(o.ownerPid)) && fresh;
}
