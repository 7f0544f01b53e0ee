import { tryLockElement, unlockElement, type LockHolder } from '../store/lock-queries';
import type { ExecutionContext } from './context';
import { processAlive } from './ownership';

/** In-process waiters, woken when this process releases a lock; other processes' releases are seen on the hub's tick. */
const released = new Set<() => void>();

function holderIsGone(self: { host: string }, h: LockHolder): boolean {
  if (h.ended) return true;
  return h.ownerHost === self.host && !processAlive(h.ownerPid);
}

/**
 * Waits until this execution holds `element`'s lock (SPEC 4 "Many executions": an element runs
 * at most one step at a time across executions; an execution and its child flows share one
 * lock, so nesting never deadlocks). Resolves with a release function, or null when `signal`
 * aborted first. A lock left by a crashed process or an ended execution is taken over.
 */
export async function lockElement(ctx: ExecutionContext, element: string, signal: AbortSignal): Promise<(() => void) | null> {
  const { db, owner } = ctx.deps;
  const attempt = (): boolean => tryLockElement(db, element, ctx.executionId, owner, (h) => holderIsGone(owner, h)) === null;
  if (attempt()) return release(ctx, element);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: (() => void) | null): void => {
      if (settled) return;
      settled = true;
      released.delete(retry);
      stopTicking();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const retry = (): void => {
      if (!settled && attempt()) finish(release(ctx, element));
    };
    const onAbort = (): void => finish(null);
    released.add(retry);
    const stopTicking = ctx.deps.control.onTick(retry);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
}

function release(ctx: ExecutionContext, element: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    unlockElement(ctx.deps.db, element, ctx.executionId);
    for (const w of [...released]) w();
  };
}
