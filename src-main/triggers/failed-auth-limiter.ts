/**
 * Counts wrong tokens per trigger: after `limit` failures within `windowMs`, that trigger takes
 * no token at all (not even the right one) until the window has moved on, so guessing runs at a
 * few tries per second whatever the caller's bandwidth. Only existing triggers are counted, so
 * the table is bounded by the number of triggers.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(id: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(id) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(id);
    else this.failures.set(id, kept);
    return kept;
  }

  /** Milliseconds until this trigger takes a token again; 0 when it takes one now. */
  blockedFor(id: string): number {
    const recent = this.recent(id);
    if (recent.length < this.limit) return 0;
    return Math.max(1, (recent[recent.length - this.limit] as number) + this.windowMs - this.now());
  }

  fail(id: string): void {
    this.failures.set(id, [...this.recent(id), this.now()]);
  }
}
