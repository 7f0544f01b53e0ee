/**
 * One stop signal per flow scope, derived once from its parent's: the root follows the
 * execution's cancel, a child flow follows the scope that called it, and each can stop on its
 * own (fail-fast). A child adds exactly one listener to its parent and removes it when it ends,
 * so a run over 10,000 elements holds no more listeners than one over ten; every wait and every
 * command of the scope listens to this one signal instead of combining several anew.
 */
export class StopScope {
  private readonly controller = new AbortController();
  private readonly detach: () => void;

  constructor(parent: AbortSignal) {
    if (parent.aborted) {
      this.controller.abort(parent.reason);
      this.detach = () => {};
      return;
    }
    const follow = (): void => this.controller.abort(parent.reason);
    parent.addEventListener('abort', follow, { once: true });
    this.detach = () => parent.removeEventListener('abort', follow);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops this scope and everything below it (fail-fast), not its parent. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** The scope ended: it no longer follows its parent. */
  dispose(): void {
    this.detach();
  }
}

/**
 * The signal of one attempt of a step: its scope's stop, plus the step's own timeout when it
 * has one. Always a scope of its own, so whatever a transport leaves listening on it goes away
 * with the attempt rather than piling up on the flow's signal.
 */
export function attemptStop(scope: AbortSignal, timeoutSeconds: number | undefined): { signal: AbortSignal; dispose(): void } {
  const attempt = new StopScope(scope);
  const timer = timeoutSeconds === undefined ? undefined : setTimeout(() => attempt.abort({ kind: 'timeout', seconds: timeoutSeconds }), timeoutSeconds * 1000);
  return {
    signal: attempt.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      attempt.dispose();
    },
  };
}
