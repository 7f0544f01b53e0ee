import type { Db } from '../store/db';
import { purgeFinishedBefore } from '../store/retention-queries';
import { getSettings } from '../store/settings-queries';

const DAY_MS = 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 3600 * 1000;

/** Applies the retention setting once; returns how many executions were removed. */
function sweepRetention(db: Db, now = Date.now()): number {
  const { retentionDays } = getSettings(db);
  if (retentionDays === null) return 0;
  return purgeFinishedBefore(db, now - retentionDays * DAY_MS);
}

/** Sweeps at start and every hour while the app or the console runs. */
export function startRetention(db: Db, onError: (e: unknown) => void): { sweepNow(): number; stop(): void } {
  const sweep = (): number => {
    try {
      return sweepRetention(db);
    } catch (e) {
      onError(e);
      return 0;
    }
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return { sweepNow: sweep, stop: () => clearInterval(timer) };
}
