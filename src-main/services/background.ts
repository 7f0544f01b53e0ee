import { formatError } from '../../src-shared/errors';
import type { EngineRuntime } from '../engine/runtime';
import type { LiveExecutions } from '../engine/live-executions';
import { startScheduler } from '../schedules/scheduler';
import { startRetention } from './retention';
import { watchForeignExecutions } from './foreign-executions';

export interface Background {
  /** Applies the retention setting now (after the operator changed it). */
  sweepRetention(): number;
  close(): Promise<void>;
}

const report = (what: string) => (e: unknown) => process.stderr.write(`flowdeck: ${what}: ${formatError(e)}\n`);

/**
 * What runs while the desktop app or `flowdeck serve` is open, and not during a one-shot CLI
 * command: retention sweeps, the scheduler, and live updates of executions other processes run.
 */
export function startBackground(rt: EngineRuntime, live: LiveExecutions): Background {
  const retention = startRetention(rt.db, report('retention sweep failed'));
  const scheduler = startScheduler({
    db: rt.db,
    events: rt.deps.events,
    launch: (req) => live.launch(rt.deps, req),
  });
  const foreign = watchForeignExecutions(rt);
  return {
    sweepRetention: () => retention.sweepNow(),
    async close() {
      foreign.stop();
      scheduler.stop();
      retention.stop();
    },
  };
}
