/**
 * The pause of one execution: while closed, no new step run starts (running ones finish).
 * Every place that is about to start a step run waits here first.
 */
export class PauseGate {
  private closed = false;
  private waiters = new Set<() => void>();

  get paused(): boolean {
    return this.closed;
  }

  set(paused: boolean): void {
    this.closed = paused;
    if (paused) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  /** Resolves when the gate is open or `signal` aborts (cancel, fail-fast): the caller checks which. */
  async pass(signal: AbortSignal): Promise<void> {
    while (this.closed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
