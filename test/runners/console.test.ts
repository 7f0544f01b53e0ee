// The console's view of runners (`runners/list`), through the real dispatcher, and the runner a
// step run records in `executions/get`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, waitFor, Workspace } from '../support/cli';
import { IpcHarness } from '../ipc/harness';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';
import { openDb } from '../../src-main/store/db';
import { listStepRuns } from '../../src-main/store/execution-queries';

describe('runners in the console', () => {
  const h = new IpcHarness();
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  let runner: RunnerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    runner = await startRunnerProcess({ zone: 'east', name: 'rc', redisUrl: redis.url, concurrency: 7 });
    await h.open();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    saveOwnerInventory(owner, [{ id: 'c1', name: 'c1', host: 'localhost', transport: 'local', zone: 'east' }]);
    const r = await owner.run(['flow', 'import', owner.file('busy.yaml', `id: busy\nname: busy\ntargets: { elements: [c1] }\nsteps:\n  - { id: a, run: 'sleep 4141.3' }\n`)]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    delete process.env.FLOWDECK_REDIS_URL;
    await runner?.stop();
    await h.close();
    await redis?.stop();
    runner?.ws.dispose();
    owner.dispose();
  });

  it('says there is no Redis when none is configured', async () => {
    delete process.env.FLOWDECK_REDIS_URL;
    expect(await h.value('runners/list', {})).toEqual({ redis: null, zones: [] });
  });

  it('lists each zone with its runners: host, version, jobs running, last seen; never the password', async () => {
    process.env.FLOWDECK_REDIS_URL = redis.url;
    const view = await h.value('runners/list', {});
    expect(view.redis).toEqual({ url: `redis://127.0.0.1:${redis.port}/0`, reachable: true });
    expect(view.zones).toHaveLength(1);
    expect(view.zones[0]).toMatchObject({ zone: 'east', alive: 1 });
    expect(view.zones[0]?.runners).toEqual([
      expect.objectContaining({ name: 'rc', version: '0.1.0', running: 0, concurrency: 7, state: 'running', alive: true }),
    ]);
    expect(view.zones[0]?.runners[0]?.seenAgoMs).toBeLessThan(30_000);
    expect(JSON.stringify(view)).not.toContain(redis.password);

    // A step running on it shows in its count, and the step run names it.
    const child = owner.spawn(['run', 'busy', '--json']);
    const done = collect(child);
    await waitFor('the runner to report a job running', async () => (await h.value('runners/list', {})).zones[0]?.runners[0]?.running === 1, 15_000);
    const db = openDb(owner.db);
    try {
      await waitFor('the step run to name its runner', () => listStepRuns(db, 1)[0]?.runner === 'rc');
    } finally {
      db.close();
    }
    child.kill('SIGINT');
    await done;
    await waitFor('the runner idle again', async () => (await h.value('runners/list', {})).zones[0]?.runners[0]?.running === 0, 15_000);
  });

  it('says when Redis cannot be reached, without the password', async () => {
    process.env.FLOWDECK_REDIS_URL = `redis://:${redis.password}@127.0.0.1:1`;
    const view = await h.value('runners/list', {});
    expect(view.redis).toMatchObject({ url: 'redis://127.0.0.1:1/0', reachable: false, error: expect.stringMatching(/connection refused/) });
    expect(JSON.stringify(view)).not.toContain(redis.password);
  });

  it('a runner that stopped is gone from the list', async () => {
    process.env.FLOWDECK_REDIS_URL = redis.url;
    await runner.stop();
    expect((await h.value('runners/list', {})).zones).toEqual([]);
  });
});
