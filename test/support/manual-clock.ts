import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EngineClock } from '../../src-main/engine/rate-limit';

interface Sleeper {
  at: number;
  wake(): void;
}

/**
 * A clock the test moves. `sleep` resolves only when `advance` (or `jump`) passes its time;
 * nothing happens between two moves, however long the test takes.
 */
export class ManualClock implements EngineClock {
  private time: number;
  private sleepers: Sleeper[] = [];

  /**
   * Starts at `start`; by default at the start of the real clock's current second, so it reads
   * no later than any time the database records after it was made (a schedule's creation).
   */
  constructor(start?: number) {
    this.time = start ?? Math.floor(Date.now() / 1000) * 1000;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || ms <= 0) return resolve();
      const sleeper: Sleeper = {
        at: this.time + ms,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      this.sleepers.push(sleeper);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** How many sleeps are waiting for the clock to move. */
  waiting(): number {
    return this.sleepers.length;
  }

  /**
   * Moves time forward by `ms`, stopping at each instant a sleep ends: the clock then reads that
   * instant, the sleep resolves, and whatever it set off (the next timer, say) runs before time
   * moves on. As a running machine's timers do.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= target);
      if (due.length === 0) break;
      const at = Math.min(...due.map((s) => s.at));
      this.time = Math.max(this.time, at);
      const now = this.sleepers.filter((s) => s.at <= at);
      this.sleepers = this.sleepers.filter((s) => s.at > at);
      for (const s of now) s.wake();
      await nextTurn();
    }
    this.time = target;
    await nextTurn();
  }

  /**
   * Moves time forward by `ms` at once, as a machine that was suspended: every sleep that ended
   * meanwhile resolves only now, late, reading the new time.
   */
  async jump(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of due) s.wake();
    await nextTurn();
  }
}
