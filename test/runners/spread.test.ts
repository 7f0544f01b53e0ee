// Two runners of one zone share an execution's steps; each element's steps stay on the runner
// that took its first one (its connection lives there); output comes back in order; steps see
// FLOWDECK_RUNNER; an element without a zone still runs in the owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';

const ZONED = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];

describe('runners share the work of a zone', () => {
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  const runners: RunnerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    runners.push(...(await Promise.all(['r1', 'r2'].map((name) => startRunnerProcess({ zone: 'lab', name, redisUrl: redis.url, concurrency: 3 })))));
    saveOwnerInventory(owner, [
      ...ZONED.map((id) => ({ id, name: id, host: 'localhost', transport: 'local' as const, zone: 'lab' })),
      { id: 'here', name: 'here', host: 'localhost', transport: 'local' },
    ]);
    const flow = owner.file(
      'spread.yaml',
      `id: spread
name: spread
mode: parallel
concurrency: 10
targets: { elements: [${[...ZONED, 'here'].join(', ')}] }
steps:
  - { id: who, run: 'sleep 0.3; echo "runner=$FLOWDECK_RUNNER"' }
  - { id: order, run: 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 0.1; echo four >&2', env: { GIVEN: "g {{ element.id }}" } }
  - id: fed
    script: |
      echo "script on $FLOWDECK_RUNNER: $GIVEN"
      exit 4
    env: { GIVEN: "g {{ element.id }}" }
    continueOnError: true
`,
    );
    const r = await owner.run(['flow', 'import', flow]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await redis?.stop();
    for (const r of runners) r.ws.dispose();
    owner.dispose();
  });

  it('spreads the elements over both runners, keeps each element on one runner, and records it', async () => {
    const r = await owner.run(['run', 'spread', '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    const byElement = new Map<string, Set<string | undefined>>();
    for (const run of rep.runs) (byElement.get(run.element) ?? byElement.set(run.element, new Set()).get(run.element))?.add(run.runner);
    for (const id of ZONED) {
      const used = [...(byElement.get(id) ?? [])];
      expect(used, id).toHaveLength(1);
      expect(['r1', 'r2']).toContain(used[0]);
    }
    const perRunner = (name: string): number => ZONED.filter((id) => byElement.get(id)?.has(name)).length;
    expect(perRunner('r1')).toBeGreaterThan(0);
    expect(perRunner('r2')).toBeGreaterThan(0);
    expect([...(byElement.get('here') ?? [])]).toEqual([undefined]);
    expect(rep.runs.filter((x) => x.step === 'fed').map((x) => x.exitCode)).toEqual(Array(7).fill(4));

    // Each step saw the runner the record names; the element without a zone saw none.
    for (const id of [...ZONED, 'here']) {
      const ran = rep.runs.find((x) => x.element === id && x.step === 'who')?.runner ?? '';
      const log = await owner.run(['logs', String(rep.id), '--element', id, '--step', 'who', '--raw']);
      expect(log.stdout, id).toBe(`runner=${ran}\n`);
      const fed = await owner.run(['logs', String(rep.id), '--element', id, '--step', 'fed', '--raw']);
      expect(fed.stdout, id).toBe(`script on ${ran}: g ${id}\n`);
    }
  });

  it("streams each step's stdout and stderr back in the order they were written", async () => {
    const r = await owner.run(['run', 'spread', '--json', '--elements', 'e1,e2']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    for (const id of ['e1', 'e2']) {
      const log = await owner.run(['logs', String(rep.id), '--element', id, '--step', 'order', '--raw']);
      expect(log.stdout).toBe('one\ntwo\nthree\nfour\n');
    }
  });

  it('the runners print nothing of the steps they ran', () => {
    for (const r of runners) {
      expect(r.output()).not.toContain('runner=');
      expect(r.output()).not.toContain('script on');
      expect(r.output()).not.toContain('echo');
    }
  });
});
