import { startRun } from '../src-main/engine/executor';
import { wrapRemoteCommand } from '../src-main/transport/ssh/remote-command';
import type { Fleet } from '../test/support/sshd';
import { bareClose, bareConnect, bareExec } from './bare-ssh';
import { median, openFleetRuntime, saveBenchFlow, watchStepRuns, withFleet, type BenchRuntime } from './fleet';

export interface WarmResult {
  steps: number;
  rounds: number;
  /** Per step on one open connection, median over the rounds. */
  bareMs: number;
  /** The same, running the command wrapped as the product wraps it (pgid marker, lifeline), its input held open as the product holds it. */
  bareWrappedMs: number;
  flowdeckMs: number;
  overheadMs: number;
}

/** Sequential execs of `command` on one open connection; ms per exec. A wrapped command gets its input held open, as the product holds it. */
async function bareRound(fleet: Fleet, steps: number, command: string, holdInput = false): Promise<number> {
  const host = fleet.hosts[0];
  if (!host) throw new Error('warm: the fleet has no host');
  const client = await bareConnect(fleet, host);
  try {
    await bareExec(client, command, { keepInputOpen: holdInput }); // the first channel on a fresh connection is not a warm one
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await bareExec(client, command, { keepInputOpen: holdInput });
    return (performance.now() - t0) / steps;
  } finally {
    await bareClose([client]);
  }
}

/**
 * Ms per step of a serial flow of `true` steps on one element: from the end of the first step
 * (the connection is then open) to the end of the last, over the steps in between.
 */
async function flowdeckRound(b: BenchRuntime, steps: number): Promise<number> {
  const watch = watchStepRuns(b.rt);
  try {
    const status = await (await startRun(b.rt.deps, { flow: 'warm' })).done;
    if (status !== 'succeeded') throw new Error(`warm: the Flowdeck run ended ${status}`);
  } finally {
    watch.stop();
  }
  const ends = [...watch.runs.values()].map((r) => r.endMs ?? NaN);
  if (ends.length !== steps || ends.some(Number.isNaN)) throw new Error(`warm: expected ${steps} finished step runs, saw ${ends.length}`);
  return (Math.max(...ends) - Math.min(...ends)) / (steps - 1);
}

/** Warm connection: engine overhead per step on a warm SSH connection, against bare ssh2 execs. */
export async function sshWarmStep(steps = 200, rounds = 3): Promise<WarmResult> {
  return withFleet(1, async (fleet) => {
    const b = await openFleetRuntime(fleet, 1);
    try {
      saveBenchFlow(b.rt, {
        id: 'warm',
        mode: 'serial',
        targets: { elements: ['h001'] },
        steps: Array.from({ length: steps }, (_, i) => ({ id: `t${i + 1}`, run: 'true' })),
      });
      const wrapped = wrapRemoteCommand('true', {});
      // One unmeasured round of each: JIT and sshd's first forks.
      await bareRound(fleet, 20, 'true');
      await flowdeckRound(b, steps);
      const bare: number[] = [];
      const bareWrapped: number[] = [];
      const flowdeck: number[] = [];
      for (let r = 0; r < rounds; r++) {
        bare.push(await bareRound(fleet, steps, 'true'));
        bareWrapped.push(await bareRound(fleet, steps, wrapped, true));
        flowdeck.push(await flowdeckRound(b, steps));
      }
      const bareMs = median(bare);
      const flowdeckMs = median(flowdeck);
      return { steps, rounds, bareMs, bareWrappedMs: median(bareWrapped), flowdeckMs, overheadMs: flowdeckMs - bareMs };
    } finally {
      b.close();
    }
  });
}
