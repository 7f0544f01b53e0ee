// What goes wrong between an owner and its runners: a runner killed mid-step, a cancel that
// must reach the command on the runner, a zone nobody serves, Redis going away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';
import { processesStartingWith } from '../support/process-groups';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';

describe('runner faults', () => {
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  const runners: RunnerProcess[] = [];

  const flow = async (name: string, text: string): Promise<void> => {
    const r = await owner.run(['flow', 'import', owner.file(`${name}.yaml`, text)]);
    expect(r.code, r.stderr).toBe(0);
  };
  const report = (stdout: string): ExecutionReport => JSON.parse(stdout) as ExecutionReport;

  beforeAll(async () => {
    redis = await startRedis();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    runners.push(...(await Promise.all(['r1', 'r2'].map((name) => startRunnerProcess({ zone: 'lab', name, redisUrl: redis.url, concurrency: 4 })))));
    saveOwnerInventory(owner, [
      ...['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, name: id, host: 'localhost', transport: 'local' as const, zone: 'lab' })),
      { id: 'far', name: 'far', host: 'localhost', transport: 'local', zone: 'z9' },
      { id: 'here', name: 'here', host: 'localhost', transport: 'local' },
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await redis?.stop();
    for (const r of runners) r.ws.dispose();
    owner.dispose();
  });

  it('a zone with no runner fails its step at once, naming the zone; other elements are unaffected', async () => {
    await flow('far', `id: far\nname: far\nmode: parallel\nonFailure: continue\ntargets: { elements: [far, here] }\nsteps:\n  - { id: a, run: 'echo ok' }\n`);
    const r = await owner.run(['run', 'far', '--json']);
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    const far = rep.runs.find((x) => x.element === 'far');
    expect(far).toMatchObject({ status: 'failed' });
    expect(far?.error).toMatch(/no runner in zone z9/);
    // At once: not after waiting out the 30 s a zone is given to show a runner.
    expect((far?.finishedAt ?? 0) - (far?.startedAt ?? 0)).toBeLessThan(10_000);
    expect(rep.runs.find((x) => x.element === 'here')).toMatchObject({ status: 'succeeded' });
  });

  it('cancel kills the command on the runner', async () => {
    await flow('slow', `id: slow\nname: slow\nmode: parallel\ntargets: { elements: [e1, e2] }\nsteps:\n  - { id: a, run: 'sleep 4949.1; echo never' }\n`);
    const child = owner.spawn(['run', 'slow', '--json']);
    const done = collect(child);
    await waitFor('both sleeps running on the runners', () => processesStartingWith('sleep 4949.1').length === 2, 20_000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    expect(rep.status).toBe('cancelled');
    expect(rep.runs.map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    await waitFor('the sleeps gone', () => processesStartingWith('sleep 4949.1').length === 0, 10_000);
  });

  it('kill -9 of a runner mid-step fails its steps as "runner r1 lost", and the execution ends', async () => {
    await flow(
      'hang',
      `id: hang\nname: hang\nmode: parallel\nfailFast: true\ntargets: { elements: [e1, e2, e3, e4] }\nsteps:\n  - { id: a, run: 'sleep 4848.2' }\n`,
    );
    const child = owner.spawn(['run', 'hang', '--json']);
    const done = collect(child);
    await waitFor('four sleeps running', () => processesStartingWith('sleep 4848.2').length === 4, 20_000);
    const r1 = runners.find((r) => r.name === 'r1') as RunnerProcess;
    await r1.kill9();
    const r = await done;
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    expect(rep.status).toBe('failed');
    const onR1 = rep.runs.filter((x) => x.runner === 'r1');
    const lost = onR1.filter((x) => x.status === 'failed');
    expect(lost.length).toBeGreaterThan(0);
    for (const run of lost) expect(run.error).toMatch(/runner r1 lost/);
    // The first loss fails fast: what still waited on r1 or ran on r2 is cancelled.
    for (const run of rep.runs.filter((x) => !lost.includes(x))) expect(run.status).toBe('cancelled');
    expect(rep.runs.filter((x) => x.runner === 'r2').length).toBeGreaterThan(0);
    // r1's commands died with it (its watchdog), r2's were killed by the cancel.
    await waitFor('every sleep gone', () => processesStartingWith('sleep 4848.2').length === 0, 10_000);
  }, 60_000);

  it('a later step goes to a runner still alive', async () => {
    await flow('after', `id: after\nname: after\nmode: parallel\ntargets: { elements: [e1, e2, e3, e4] }\nsteps:\n  - { id: a, run: 'echo "$FLOWDECK_RUNNER"' }\n`);
    const r = await owner.run(['run', 'after', '--json']);
    const rep = report(r.stdout);
    expect(rep.status, r.stderr).toBe('succeeded');
    expect(new Set(rep.runs.map((x) => x.runner))).toEqual(new Set(['r2']));
  });

  it('with Redis down, zoned steps fail with the reason and unzoned ones run', async () => {
    await flow('mixed', `id: mixed\nname: mixed\nmode: parallel\nonFailure: continue\ntargets: { elements: [e1, here] }\nsteps:\n  - { id: a, run: 'echo fine' }\n`);
    await redis.kill();
    const r = await owner.run(['run', 'mixed', '--json']);
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    expect(rep.runs.find((x) => x.element === 'e1')?.error).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0: connection refused/);
    expect(rep.runs.find((x) => x.element === 'here')).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(r.stdout + r.stderr).not.toContain(redis.password);
  });
});
