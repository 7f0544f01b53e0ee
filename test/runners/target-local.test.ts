// `target: local` means the operator's machine, also for an element whose commands go to a zone's
// runners: such a step runs in the owning process; the element's other steps run on the runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';

describe('target: local on a zoned element', () => {
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  let runner: RunnerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    runner = await startRunnerProcess({ zone: 'lab', name: 'rt', redisUrl: redis.url });
    saveOwnerInventory(owner, [
      { id: 'z1', name: 'z1', host: 'localhost', transport: 'ssh', zone: 'lab' },
      { id: 'z2', name: 'z2', host: 'localhost', transport: 'local', zone: 'lab' },
    ]);
    const flow = owner.file(
      'mixed.yaml',
      `id: mixed\nname: mixed\nmode: parallel\ntargets: { elements: [z2, z1] }\nsteps:\n  - { id: here, run: 'echo "at=\${FLOWDECK_RUNNER:-owner}"', target: local }\n`,
    );
    const withRemote = owner.file(
      'remote.yaml',
      `id: remote\nname: remote\ntargets: { elements: [z2] }\nsteps:\n  - { id: there, run: 'echo "at=\${FLOWDECK_RUNNER:-owner}"' }\n  - { id: here, run: 'echo "at=\${FLOWDECK_RUNNER:-owner}"', target: local }\n`,
    );
    expect((await owner.run(['flow', 'import', flow, withRemote])).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    runner?.ws.dispose();
    await redis?.stop();
    owner.dispose();
  });

  const output = async (id: number, element: string, step: string): Promise<string> =>
    (await owner.run(['logs', String(id), '--element', element, '--step', step, '--raw'])).stdout.trim();

  it('runs here, not on the runner, for an ssh and a local zoned element alike (no SSH attempted)', async () => {
    const r = await owner.run(['run', 'mixed', '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    for (const run of rep.runs) expect(run.runner).toBeUndefined();
    expect(await output(rep.id, 'z1', 'here')).toBe('at=owner');
    expect(await output(rep.id, 'z2', 'here')).toBe('at=owner');
  });

  it('while the element’s own steps run on the runner', async () => {
    const r = await owner.run(['run', 'remote', '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    expect(rep.runs.map((x) => [x.step, x.runner])).toEqual([
      ['there', 'rt'],
      ['here', undefined],
    ]);
    expect(await output(rep.id, 'z2', 'there')).toBe('at=rt');
    expect(await output(rep.id, 'z2', 'here')).toBe('at=owner');
  });
});
