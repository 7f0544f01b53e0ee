import { describe, expect, it } from 'vitest';
import { RateLimiter, type EngineClock } from './rate-limit';

/** A clock the test moves: sleeps resolve only when `advance` passes their time. */
class ManualClock implements EngineClock {
  time = 0;
  private sleepers: Array<{ at: number; wake(): void }> = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const entry = { at: this.time + ms, wake: resolve };
      this.sleepers.push(entry);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of due) s.wake();
    // Let the woken waiters run and queue their next sleep.
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('RateLimiter', () => {
  it('grants at most N in any one-second window, in arrival order', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(3, clock);
    const granted: Array<[number, number]> = [];
    const never = new AbortController().signal;
    for (let i = 0; i < 7; i++) void limiter.take(never).then(() => granted.push([i, clock.time]));
    await settle();
    expect(granted).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    await clock.advance(999);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted.slice(3)).toEqual([
      [3, 1000],
      [4, 1000],
      [5, 1000],
    ]);
    await clock.advance(1000);
    expect(granted.slice(6)).toEqual([[6, 2000]]);
  });

  it('a waiter that is cancelled takes no place', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(1, clock);
    const never = new AbortController().signal;
    expect(await limiter.take(never)).toBe(0);
    const cancel = new AbortController();
    const cancelled = limiter.take(cancel.signal);
    const next = limiter.take(never);
    cancel.abort();
    expect(await cancelled).toBeNull();
    await clock.advance(1000);
    expect(await next).toBe(1000);
  });
});
