import { startRun } from '../src-main/engine/executor';
import { bareRound, FANOUT_COMMANDS } from './bare-ssh';
import { BENCH_GROUP, delay, median, openFleetRuntime, saveBenchFlow, withFleet, type BenchRuntime } from './fleet';

export { FANOUT_COMMANDS } from './bare-ssh';

export interface FanoutResult {
  hosts: number;
  listeners: number;
  rounds: number;
  bareMs: number[];
  /** The bare script running each command wrapped as the product wraps it (pgid marker, lifeline), its input held open as the product holds it. */
  bareWrappedMs: number[];
  flowdeckMs: number[];
  bareMedianMs: number;
  bareWrappedMedianMs: number;
  flowdeckMedianMs: number;
  /** flowdeck / bare: the judged figure (target <= 1.2). */
  ratio: number;
  /** flowdeck / bare wrapped: what the engine adds beyond the remote command wrapper. */
  ratioWrapped: number;
  /** Logins the fleet accepted per Flowdeck run (one connection per element per execution: = hosts). */
  loginsPerRun: number;
}

/** Lets the sshd sessions of the last round exit so they do not eat the next round's CPU. */
export const SETTLE_MS = 500;

/** The flow both fan-out benches run: `fanout`, FANOUT_COMMANDS as steps, parallel across every host at once. */
export function saveFanoutFlow(b: BenchRuntime, hosts: number): void {
  saveBenchFlow(b.rt, {
    id: 'fanout',
    mode: 'parallel',
    targets: { groups: [BENCH_GROUP] },
    concurrency: hosts,
    steps: FANOUT_COMMANDS.map((run, i) => ({ id: `s${i + 1}`, run })),
  });
}

async function flowdeckRound(b: BenchRuntime): Promise<number> {
  const t0 = performance.now();
  const status = await (await startRun(b.rt.deps, { flow: 'fanout' })).done;
  const ms = performance.now() - t0;
  if (status !== 'succeeded') throw new Error(`fanout: the Flowdeck run ended ${status}`);
  return ms;
}

/**
 * Fan-out: a 3-step parallel flow on `hosts` SSH hosts (concurrency = hosts) through
 * the real engine, against a bare ssh2 script doing the same work, alternating, in one process.
 */
export async function sshFanout(hosts = 50, rounds = 5): Promise<FanoutResult> {
  return withFleet(hosts, async (fleet) => {
    const b = await openFleetRuntime(fleet, hosts);
    try {
      saveFanoutFlow(b, hosts);
      // One unmeasured round each: JIT, sshd's first forks, page cache.
      await bareRound(fleet, hosts);
      await delay(SETTLE_MS);
      await flowdeckRound(b);
      await delay(SETTLE_MS);
      const bareMs: number[] = [];
      const bareWrappedMs: number[] = [];
      const flowdeckMs: number[] = [];
      const loginsBefore = fleet.acceptedConnections();
      for (let r = 0; r < rounds; r++) {
        bareMs.push(await bareRound(fleet, hosts));
        await delay(SETTLE_MS);
        bareWrappedMs.push(await bareRound(fleet, hosts, true));
        await delay(SETTLE_MS);
        flowdeckMs.push(await flowdeckRound(b));
        await delay(SETTLE_MS);
      }
      const logins = fleet.acceptedConnections() - loginsBefore;
      const bareMedianMs = median(bareMs);
      const bareWrappedMedianMs = median(bareWrappedMs);
      const flowdeckMedianMs = median(flowdeckMs);
      return {
        hosts,
        listeners: fleet.listeners.length,
        rounds,
        bareMs,
        bareWrappedMs,
        flowdeckMs,
        bareMedianMs,
        bareWrappedMedianMs,
        flowdeckMedianMs,
        ratio: flowdeckMedianMs / bareMedianMs,
        ratioWrapped: flowdeckMedianMs / bareWrappedMedianMs,
        loginsPerRun: (logins - 2 * rounds * hosts) / rounds,
      };
    } finally {
      b.close();
    }
  });
}
