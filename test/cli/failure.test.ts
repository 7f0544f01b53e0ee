import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { pidAlive, Workspace } from '../support/cli';

const ids = ['n1', 'n2', 'n3', 'n4'];
const inventory = `elements:\n${ids.map((id) => `  - { id: ${id}, name: ${id}, host: localhost, transport: local, groups: [fleet] }`).join('\n')}\n`;

/** A flow over n1..n4 where the elements listed in `failOn` exit 1 at step `bad`. */
function flow(id: string, controls: string, failOn: string[], extraSteps = ''): string {
  return `
id: ${id}
name: ${id}
targets: { groups: [fleet] }
${controls}
steps:
  - id: first
    run: sleep 0.2
  - id: bad
    run: case {{ shq(element.id) }} in ${failOn.length ? failOn.join('|') : '__none__'}) echo "boom on $0" >&2; exit 3;; esac; sleep 0.2
  - id: after
    run: echo after
${extraSteps}`;
}

describe('failure rules (docs/semantics.md), through the CLI', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', inventory);
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const load = async (name: string, text: string): Promise<void> => {
    const r = await ws.run(['flow', 'import', ws.file(`${name}.yaml`, text)]);
    expect(r.code, r.stderr).toBe(0);
  };
  const run = async (flowId: string, extra: string[] = []): Promise<{ code: number | null; rep: ExecutionReport; stderr: string }> => {
    const r = await ws.run(['run', flowId, '--json', ...extra]);
    return { code: r.code, rep: JSON.parse(r.stdout) as ExecutionReport, stderr: r.stderr };
  };
  const statusOf = (rep: ExecutionReport, step: string, el: string): string | undefined =>
    rep.runs.filter((r) => r.step === step && r.element === el).at(-1)?.status;

  it('serial + stop: the failing element skips its remaining steps, later elements never run, exit 1', async () => {
    await load('s-stop', flow('s-stop', 'mode: serial', ['n2']));
    const { code, rep } = await run('s-stop');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expect(statusOf(rep, 'after', 'n1')).toBe('succeeded');
    expect(statusOf(rep, 'bad', 'n2')).toBe('failed');
    expect(rep.runs.find((r) => r.step === 'bad' && r.element === 'n2')?.exitCode).toBe(3);
    expect(statusOf(rep, 'after', 'n2')).toBe('skipped');
    expect(rep.runs.filter((r) => r.element === 'n3' || r.element === 'n4')).toEqual([]);
    expect(rep.error).toContain('n2');
  });

  it('parallel + continue: the failed element drops out, the others go on', async () => {
    await load('p-cont', flow('p-cont', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50', ['n3']));
    const { code, rep } = await run('p-cont');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    for (const el of ['n1', 'n2', 'n4']) expect(statusOf(rep, 'after', el)).toBe('succeeded');
    expect(statusOf(rep, 'after', 'n3')).toBe('skipped');
  });

  it('maxFailPercent: exactly the percentage goes on, strictly more stops', async () => {
    await load('p-half', flow('p-half', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50', ['n1', 'n2']));
    const half = (await run('p-half')).rep;
    expect(statusOf(half, 'after', 'n3')).toBe('succeeded');
    expect(statusOf(half, 'after', 'n4')).toBe('succeeded');

    await load('p-over', flow('p-over', 'mode: parallel\nonFailure: continue\nmaxFailPercent: 50', ['n1', 'n2', 'n3']));
    const over = (await run('p-over')).rep;
    expect(over.status).toBe('failed');
    expect(over.runs.filter((r) => r.step === 'after' && r.status !== 'skipped')).toEqual([]);
    expect(over.error).toMatch(/3 of 4 .*maxFailPercent 50%/);
  });

  it('maxFailPercent counts per batch, as Ansible does', async () => {
    // 1 of 4 overall is 25% (under 30%), but 1 of the batch of 2 is 50%: the run stops in that batch.
    await load('p-batch', flow('p-batch', 'mode: parallel\nbatchSize: 2\nonFailure: continue\nmaxFailPercent: 30', ['n3']));
    const { rep } = await run('p-batch');
    expect(statusOf(rep, 'after', 'n1')).toBe('succeeded');
    expect(statusOf(rep, 'after', 'n2')).toBe('succeeded');
    expect(statusOf(rep, 'bad', 'n3')).toBe('failed');
    expect(statusOf(rep, 'after', 'n4')).toBeUndefined();
  });

  it('failFast cancels running siblings at once and their processes are gone', async () => {
    const pidDir = ws.dir + '/';
    await load(
      'p-ff',
      `
id: p-ff
name: fail fast
mode: parallel
failFast: true
targets: { groups: [fleet] }
steps:
  - id: work
    run: |
      if [ {{ shq(element.id) }} = n1 ]; then sleep 0.5; exit 4; fi
      sleep 60 & echo $! > {{ shq('${pidDir}' + element.id + '.pid') }}
      wait
`,
    );
    const t0 = Date.now();
    const { rep } = await run('p-ff');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(rep.status).toBe('failed');
    expect(statusOf(rep, 'work', 'n1')).toBe('failed');
    for (const el of ['n2', 'n3', 'n4']) {
      expect(statusOf(rep, 'work', el)).toBe('cancelled');
      const pid = Number(readFileSync(ws.path(`${el}.pid`), 'utf8'));
      expect(pidAlive(pid)).toBe(false);
    }
  });

  it('retries keep every attempt', async () => {
    const counter = ws.path('count');
    await load(
      'retry',
      `
id: retry
name: retry
targets: { elements: [n1] }
steps:
  - id: flaky
    run: n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; echo attempt $n; [ $n -ge 3 ]
    retries: { count: 4, delay: 0.1, backoff: 2 }
`,
    );
    const { code, rep } = await run('retry');
    expect(code).toBe(0);
    expect(rep.runs.map((r) => [r.attempt, r.status, r.exitCode])).toEqual([
      [1, 'failed', 1],
      [2, 'failed', 1],
      [3, 'succeeded', 0],
    ]);
    const logs = await ws.run(['logs', String(rep.id), '--step', 'flaky']);
    expect(logs.stdout).toMatch(/attempt 1[\s\S]*attempt 2[\s\S]*attempt 3/);
  });

  it('a step timeout kills its command and marks the step timed-out', async () => {
    await load(
      'timeout',
      `
id: timeout
name: timeout
targets: { elements: [n1] }
steps:
  - id: slow
    run: sleep 60 & echo $! > ${ws.path('slow.pid')}; wait
    timeout: 1
`,
    );
    const t0 = Date.now();
    const { code, rep } = await run('timeout');
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(code).toBe(1);
    expect(rep.runs[0]).toMatchObject({ status: 'timed-out' });
    expect(rep.runs[0]?.error).toMatch(/timed out after 1 s/);
    expect(pidAlive(Number(readFileSync(ws.path('slow.pid'), 'utf8')))).toBe(false);
  });

  it('continueOnError: the failure does not count', async () => {
    await load(
      'coe',
      `
id: coe
name: coe
targets: { elements: [n1] }
steps:
  - { id: bad, run: exit 2, continueOnError: true }
  - { id: next, run: echo went on }
`,
    );
    const { code, rep } = await run('coe');
    expect(code).toBe(0);
    expect(rep.runs.map((r) => `${r.step}:${r.status}`)).toEqual(['bad:failed', 'next:succeeded']);
  });
});
