import { tryLockElement, unlockElement, type LockHolder } from '../store/lock-queries';
import type { ExecutionContext } from './context';
import { processAlive } from './ownership';
import { retryUntil, Wakers } from './retry-until';

/** In-process waiters, woken when this process releases a lock; other processes' releases are seen on the hub's tick. */
const released = new Wakers();

function holderIsGone(self: { host: string }, h: LockHolder): boolean {
  if (h.ended) return true;
  return h.ownerHost === self.host && !processAlive(h.ownerPid);
}

/**
 * Waits until this execution holds `element`'s lock (an element runs
 * at most one step at a time across executions; an execution and its child flows share one
 * lock, so nesting never deadlocks). Resolves with a release function, or null when `signal`
 * aborted first. A lock left by a crashed process or an ended execution is taken over.
 */
export function lockElement(ctx: ExecutionContext, element: string, signal: AbortSignal): Promise<(() => void) | null> {
  const { db, owner } = ctx.deps;
  return retryUntil(() => (tryLockElement(db, element, ctx.executionId, owner, (h) => holderIsGone(owner, h)) === null ? release(ctx, element) : null), {
    signal,
    hub: ctx.deps.control,
    wakers: released,
  });
}

function release(ctx: ExecutionContext, element: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    unlockElement(ctx.deps.db, element, ctx.executionId);
    released.wake();
  };
}
