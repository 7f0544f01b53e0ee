// The price of a runner: the fan-out flow (3 steps, parallel, 50 SSH hosts) run by the engine
// in this process straight over SSH, against the same flow on the same hosts through
// `flowdeck runner` processes (BullMQ on a private redis-server), alternating in one run.
import { startRun } from '../src-main/engine/executor';
import { listStepRuns } from '../src-main/store/execution-queries';
import type { ElementInput } from '../src-shared/domain/inventory';
import { startRedis, type TestRedis } from '../test/support/redis';
import { startRunnerProcess, type RunnerProcess } from '../test/support/runners';
import { bareRound, FANOUT_COMMANDS } from './bare-ssh';
import { BENCH_GROUP, delay, median, openFleetRuntime, saveBenchFlow, withFleet, type BenchRuntime } from './fleet';
import { SETTLE_MS } from './ssh-fanout';

const ZONE = 'bench';
const ZONED_GROUP = 'zoned';

export interface RunnersBenchResult {
  hosts: number;
  rounds: number;
  directMs: number[];
  oneRunnerMs: number[];
  /** The direct rounds alternated with the two-runner rounds. */
  directMs2: number[];
  twoRunnersMs: number[];
  bareMs: number[];
  /** Through one runner / direct: the judged figure (target <= 1.3). */
  ratioOne: number;
  ratioTwo: number;
  /** Step runs per runner in the two-runner rounds, summed. */
  split: Record<string, number>;
  /** SSH logins per run through a runner (one connection per element per execution: = hosts). */
  loginsPerRunnerRun: number;
}

async function round(b: BenchRuntime, flow: string): Promise<{ ms: number; id: number }> {
  const t0 = performance.now();
  const started = await startRun(b.rt.deps, { flow });
  const status = await started.done;
  const ms = performance.now() - t0;
  if (status !== 'succeeded') {
    const errors = listStepRuns(b.rt.db, started.id).filter((r) => r.error).map((r) => `${r.element} ${r.step}: ${r.error}`);
    throw new Error(`${flow}: the run ended ${status}\n${errors.slice(0, 5).join('\n')}`);
  }
  return { ms, id: started.id };
}

/**
 * `hosts` SSH hosts, each twice in the owner's inventory: once as usual (run by this process)
 * and once with a zone (run by the runners); the two flows differ only in which set they target.
 */
export async function runnersBench(hosts = 50, rounds = 5): Promise<RunnersBenchResult> {
  return withFleet(hosts, async (fleet) => {
    const redis: TestRedis = await startRedis();
    const runners: RunnerProcess[] = [];
    const zoned: ElementInput[] = fleet.hosts.slice(0, hosts).map((h, i) => ({
      id: `z${String(i + 1).padStart(3, '0')}`,
      name: `zoned host ${i + 1}`,
      host: h.address,
      port: h.port,
      user: fleet.user,
      credential: 'fleet-key',
      zone: ZONE,
      groups: [ZONED_GROUP],
    }));
    const b = await openFleetRuntime(fleet, hosts, zoned);
    const previousUrl = process.env.FLOWDECK_REDIS_URL;
    process.env.FLOWDECK_REDIS_URL = redis.url;
    const startRunner = (name: string): Promise<RunnerProcess> =>
      startRunnerProcess({
        zone: ZONE,
        name,
        redisUrl: redis.url,
        concurrency: hosts,
        env: { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' },
        async prepare(ws) {
          const r = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
          if (r.code !== 0) throw new Error(`runner ${name}: credential add failed: ${r.stderr}`);
        },
      });
    try {
      for (const [id, group] of [
        ['direct', BENCH_GROUP],
        ['via-runner', ZONED_GROUP],
      ] as const) {
        saveBenchFlow(b.rt, { id, mode: 'parallel', targets: { groups: [group] }, concurrency: hosts, steps: FANOUT_COMMANDS.map((run, i) => ({ id: `s${i + 1}`, run })) });
      }
      runners.push(await startRunner('rb1'));
      // One unmeasured round each: JIT, sshd's first forks, Redis's first scripts.
      await round(b, 'direct');
      await delay(SETTLE_MS);
      await round(b, 'via-runner');
      await delay(SETTLE_MS);

      const directMs: number[] = [];
      const oneRunnerMs: number[] = [];
      const bareMs: number[] = [];
      const loginsBefore = fleet.acceptedConnections();
      let directLogins = 0;
      for (let r = 0; r < rounds; r++) {
        const before = fleet.acceptedConnections();
        directMs.push((await round(b, 'direct')).ms);
        directLogins += fleet.acceptedConnections() - before;
        await delay(SETTLE_MS);
        oneRunnerMs.push((await round(b, 'via-runner')).ms);
        await delay(SETTLE_MS);
        const bare = fleet.acceptedConnections();
        bareMs.push(await bareRound(fleet, hosts));
        directLogins += fleet.acceptedConnections() - bare;
        await delay(SETTLE_MS);
      }
      const loginsPerRunnerRun = (fleet.acceptedConnections() - loginsBefore - directLogins) / rounds;

      runners.push(await startRunner('rb2'));
      await round(b, 'via-runner');
      await delay(SETTLE_MS);
      const directMs2: number[] = [];
      const twoRunnersMs: number[] = [];
      const split: Record<string, number> = {};
      for (let r = 0; r < rounds; r++) {
        directMs2.push((await round(b, 'direct')).ms);
        await delay(SETTLE_MS);
        const two = await round(b, 'via-runner');
        twoRunnersMs.push(two.ms);
        for (const run of listStepRuns(b.rt.db, two.id)) if (run.runner) split[run.runner] = (split[run.runner] ?? 0) + 1;
        await delay(SETTLE_MS);
      }
      return {
        hosts,
        rounds,
        directMs,
        oneRunnerMs,
        directMs2,
        twoRunnersMs,
        bareMs,
        ratioOne: median(oneRunnerMs) / median(directMs),
        ratioTwo: median(twoRunnersMs) / median(directMs2),
        split,
        loginsPerRunnerRun,
      };
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      for (const r of runners) r.ws.dispose();
      b.close();
      if (previousUrl === undefined) delete process.env.FLOWDECK_REDIS_URL;
      else process.env.FLOWDECK_REDIS_URL = previousUrl;
      await redis.stop();
    }
  });
}
