import { admitIfTurn } from '../store/queue-queries';
import { getSettings } from '../store/settings-queries';
import type { ExecutionContext } from './context';
import { STALE_MS } from './ownership';
import { retryUntil, Wakers } from './retry-until';

/** In-process waiters: an execution ending here frees a slot at once, without waiting for a tick. */
const waiting = new Wakers();

export function slotFreed(): void {
  waiting.wake();
}

/**
 * Waits for the execution's turn in the global queue. Resolves
 * true once it is `running`, false if it was cancelled while it waited. `onWait` is called
 * once if it has to wait at all.
 */
export async function waitForTurn(ctx: ExecutionContext, onWait: () => void = () => {}): Promise<boolean> {
  const { db } = ctx.deps;
  const admitted = await retryUntil(() => (admitIfTurn(db, ctx.executionId, getSettings(db).maxConcurrentExecutions, Date.now() - STALE_MS) ? true : null), {
    signal: ctx.cancel.signal,
    hub: ctx.deps.control,
    wakers: waiting,
    onWait,
  });
  return admitted === true;
}
