import type { ControlHub } from './control-hub';

/** Waiters of one kind in this process, woken when this process frees what they wait for. */
export class Wakers {
  private readonly waiting = new Set<() => void>();

  add(fn: () => void): () => void {
    this.waiting.add(fn);
    return () => this.waiting.delete(fn);
  }

  wake(): void {
    for (const w of [...this.waiting]) w();
  }
}

/**
 * Tries `attempt` now and then again whenever this process frees something (`wakers`) or the
 * control hub ticks (another process may have freed it), until it gives a value or `signal`
 * aborts (null). `onWait` runs once if the first try failed.
 */
export function retryUntil<T>(attempt: () => T | null, opts: { signal: AbortSignal; hub: ControlHub; wakers: Wakers; onWait?: () => void }): Promise<T | null> {
  const { signal } = opts;
  if (signal.aborted) return Promise.resolve(null);
  const first = attempt();
  if (first !== null) return Promise.resolve(first);
  opts.onWait?.();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: T | null): void => {
      if (settled) return;
      settled = true;
      stopWaking();
      stopTicking();
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const retry = (): void => {
      if (settled) return;
      const value = attempt();
      if (value !== null) finish(value);
    };
    const onAbort = (): void => finish(null);
    const stopWaking = opts.wakers.add(retry);
    const stopTicking = opts.hub.onTick(retry);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
