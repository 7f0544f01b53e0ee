// A runner's end and an owner's end: SIGTERM lets the running step finish and hands back the one
// not started yet (another runner runs it); an owner killed with kill -9 has its commands on the
// runner stopped, as its watchdog and lifeline do for local and SSH commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';
import { processesStartingWith } from '../support/process-groups';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';

describe('runner and owner lifecycles', () => {
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  const started: RunnerProcess[] = [];

  const flow = async (name: string, text: string): Promise<void> => {
    const r = await owner.run(['flow', 'import', owner.file(`${name}.yaml`, text)]);
    expect(r.code, r.stderr).toBe(0);
  };

  beforeAll(async () => {
    redis = await startRedis();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    saveOwnerInventory(owner, ['l1', 'l2'].map((id) => ({ id, name: id, host: 'localhost', transport: 'local' as const, zone: 'life' })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
    await redis?.stop();
    for (const r of started) r.ws.dispose();
    owner.dispose();
  });

  it('SIGTERM: the running step finishes, the one not started runs on another runner, then the runner exits 0', async () => {
    const first = await startRunnerProcess({ zone: 'life', name: 'busy', redisUrl: redis.url, concurrency: 1 });
    started.push(first);
    await flow('two', `id: two\nname: two\nmode: parallel\ntargets: { elements: [l1, l2] }\nsteps:\n  - { id: a, run: 'sleep 2.25; echo "finished on $FLOWDECK_RUNNER"' }\n`);
    const child = owner.spawn(['run', 'two', '--json']);
    const done = collect(child);
    // One runs, the other waits for the runner's only slot.
    await waitFor('one step running', () => processesStartingWith('sleep 2.25').length === 1, 20_000);
    const stopping = first.stop('SIGTERM');
    const second = await startRunnerProcess({ zone: 'life', name: 'spare', redisUrl: redis.url });
    started.push(second);
    const end = await stopping;
    expect(end.code).toBe(0);
    expect(end.stderr).toMatch(/SIGTERM: taking no more steps, finishing the 1 running/);
    const rep = JSON.parse((await done).stdout) as ExecutionReport;
    expect(rep.status).toBe('succeeded');
    expect(rep.runs.map((r) => r.runner).sort()).toEqual(['busy', 'spare']);
    for (const r of rep.runs) {
      const log = await owner.run(['logs', String(rep.id), '--element', r.element, '--raw']);
      expect(log.stdout).toBe(`finished on ${r.runner}\n`);
    }
  }, 60_000);

  it("an owner killed with kill -9 has its commands on the runner stopped", async () => {
    await flow('orphan', `id: orphan\nname: orphan\ntargets: { elements: [l1] }\nsteps:\n  - { id: a, run: 'sleep 4343.7' }\n`);
    const child = owner.spawn(['run', 'orphan']);
    const done = collect(child);
    await waitFor('the command running on the runner', () => processesStartingWith('sleep 4343.7').length === 1, 20_000);
    child.kill('SIGKILL');
    await done;
    // The owner's key in Redis expires (15 s) and the runner's next sweep (every 5 s) stops the command.
    await waitFor('the orphaned command stopped', () => processesStartingWith('sleep 4343.7').length === 0, 40_000, 250);
  }, 60_000);
});
