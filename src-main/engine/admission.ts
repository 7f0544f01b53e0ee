import { admitIfTurn } from '../store/queue-queries';
import { getSettings } from '../store/settings-queries';
import type { ExecutionContext } from './context';
import { STALE_MS } from './ownership';

/** In-process waiters: an execution ending here frees a slot at once, without waiting for a tick. */
const waiting = new Set<() => void>();

export function slotFreed(): void {
  for (const w of [...waiting]) w();
}

/**
 * Waits for the execution's turn in the global queue (SPEC 4 "Many executions"). Resolves
 * true once it is `running`, false if it was cancelled while it waited. `onWait` is called
 * once if it has to wait at all.
 */
export function waitForTurn(ctx: ExecutionContext, onWait: () => void = () => {}): Promise<boolean> {
  const { db } = ctx.deps;
  const attempt = (): boolean => admitIfTurn(db, ctx.executionId, getSettings(db).maxConcurrentExecutions, Date.now() - STALE_MS);
  const signal = ctx.cancel.signal;
  if (signal.aborted) return Promise.resolve(false);
  if (attempt()) return Promise.resolve(true);
  onWait();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      waiting.delete(retry);
      stopTicking();
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const retry = (): void => {
      if (!settled && attempt()) finish(true);
    };
    const onAbort = (): void => finish(false);
    waiting.add(retry);
    const stopTicking = ctx.deps.control.onTick(retry);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
