import { sleep } from './limiter';

/** Time as the engine's waits see it; tests give a clock they move themselves. */
export interface EngineClock {
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: EngineClock = { now: () => Date.now(), sleep };

const WINDOW_MS = 1000;

/**
 * At most `perSecond` starts in any one-second window (a sliding window, not a bucket that
 * refills: no burst of 2N across a second's edge). Waiters are served in arrival order; one
 * whose signal aborts while it waits takes no place.
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly clock: EngineClock = realClock,
  ) {}

  /** Waits for a place; the time it was granted (the start it counts), or null if `signal` aborted first. */
  take(signal: AbortSignal): Promise<number | null> {
    const turn = this.tail.then(() => this.grant(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async grant(signal: AbortSignal): Promise<number | null> {
    for (;;) {
      if (signal.aborted) return null;
      const now = this.clock.now();
      if (this.starts.length >= this.perSecond) {
        const wait = (this.starts[0] as number) + WINDOW_MS - now;
        if (wait > 0) {
          await this.clock.sleep(wait, signal);
          continue;
        }
        this.starts.shift();
      }
      this.starts.push(now);
      return now;
    }
  }
}
