import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { query, stepRuns } from './support';

// Resume after a failure reruns only the failed step onward on the failed elements
// and keeps the earlier successes; retry failed runs only the failed and unrun elements."
describe('retry failed and resume, through the CLI', () => {
  const ws = new Workspace('flowdeck-retry-');
  const marker = (el: string): string => ws.path(`broken-${el}`);
  const run = async (args: string[]): Promise<ExecutionReport> => {
    const r = await ws.run([...args, '--json']);
    try {
      return JSON.parse(r.stdout) as ExecutionReport;
    } catch {
      throw new Error(`flowdeck ${args.join(' ')} (exit ${r.code}) printed no JSON: ${r.stderr}`);
    }
  };
  const cells = (rep: ExecutionReport): string[] => rep.runs.map((r) => `${r.step}@${r.element}#${r.attempt}:${r.status}`);

  beforeAll(async () => {
    ws.file('inv.ini', '[fleet]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.ini')])).code).toBe(0);
    const check = `test ! -e ${ws.dir}/broken-{{ element.id }}`;
    ws.file(
      'flows.yaml',
      [
        `id: roll\nname: Roll\nmode: serial\ntargets: { groups: [fleet] }\nsteps:\n  - { id: prep, run: "echo prep" }\n  - { id: check, run: "${check}" }\n  - { id: finish, run: "echo finished" }\n`,
        `id: wide\nname: Wide\nmode: parallel\nonFailure: continue\ntargets: { groups: [fleet] }\nsteps:\n  - { id: prep, run: "echo prep" }\n  - { id: check, run: "${check}" }\n  - { id: finish, run: "echo finished" }\n`,
        `id: nested\nname: Nested\nmode: serial\ntargets: { groups: [fleet] }\nsteps:\n  - { id: prep, run: "echo prep" }\n  - { id: sub, flow: inner }\n  - { id: finish, run: "echo finished" }\n`,
        `id: inner\nname: Inner\nsteps:\n  - { id: first, run: "echo first" }\n  - { id: check, run: "${check}" }\n`,
      ].join('---\n'),
    );
    const r = await ws.run(['flow', 'import', ws.path('flows.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it('resume: the same execution goes on from the failed step for the failed element; successes are kept; unrun elements run', async () => {
    writeFileSync(marker('b'), '');
    const failed = await run(['run', 'roll']);
    expect(failed.status).toBe('failed');
    expect(cells(failed)).toEqual(['prep@a#1:succeeded', 'check@a#1:succeeded', 'finish@a#1:succeeded', 'prep@b#1:succeeded', 'check@b#1:failed', 'finish@b#1:skipped']);
    const before = stepRuns(ws, failed.id);

    rmSync(marker('b'));
    const resumed = await run(['resume', String(failed.id)]);
    expect(resumed.id).toBe(failed.id);
    expect(resumed.status).toBe('succeeded');
    // The earlier rows are untouched; new rows: check and finish on b (attempt 2), all of c.
    expect(stepRuns(ws, failed.id).slice(0, before.length)).toEqual(before);
    expect(cells(resumed).slice(before.length)).toEqual(['check@b#2:succeeded', 'finish@b#2:succeeded', 'prep@c#1:succeeded', 'check@c#1:succeeded', 'finish@c#1:succeeded']);
    expect(resumed.runs.filter((r) => r.step === 'prep' && r.element === 'b')).toHaveLength(1);

    // Nothing left to do: a second resume is refused.
    const again = await ws.run(['resume', String(failed.id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`execution #${failed.id} succeeded; there is nothing to resume`);
  });

  it('resume inside a child flow reruns only the failed child step onward', async () => {
    writeFileSync(marker('a'), '');
    const failed = await run(['run', 'nested']);
    expect(failed.status).toBe('failed');
    expect(cells(failed)).toEqual(['prep@a#1:succeeded', 'sub@a#1:failed', 'sub/first@a#1:succeeded', 'sub/check@a#1:failed', 'finish@a#1:skipped']);
    rmSync(marker('a'));
    const resumed = await run(['resume', String(failed.id)]);
    expect(resumed.status).toBe('succeeded');
    // The flow step gets a new attempt; inside it only the failed child step runs again.
    expect(cells(resumed).slice(failed.runs.length)).toEqual([
      'sub@a#2:succeeded',
      'sub/check@a#2:succeeded',
      'finish@a#2:succeeded',
      'prep@b#1:succeeded',
      'sub@b#1:succeeded',
      'sub/first@b#1:succeeded',
      'sub/check@b#1:succeeded',
      'finish@b#1:succeeded',
      'prep@c#1:succeeded',
      'sub@c#1:succeeded',
      'sub/first@c#1:succeeded',
      'sub/check@c#1:succeeded',
      'finish@c#1:succeeded',
    ]);
  });

  it('retry failed: a new execution on the failed and not-run elements only, linked to its origin, with its labels', async () => {
    writeFileSync(marker('b'), '');
    const failed = await run(['run', 'roll', '--label', 'ticket=OPS-12']);
    expect(failed.status).toBe('failed');
    rmSync(marker('b'));
    const retried = await run(['retry', String(failed.id)]);
    expect(retried.id).not.toBe(failed.id);
    expect(retried.status).toBe('succeeded');
    expect(retried.trigger).toBe('retry');
    expect([...new Set(retried.runs.map((r) => r.element))]).toEqual(['b', 'c']);
    expect(query<{ origin_id: number }>(ws, 'SELECT origin_id FROM executions WHERE id = ?', retried.id)[0]?.origin_id).toBe(failed.id);
    const list = await ws.json<Array<{ id: number }>>(['executions', 'list', '--json', '--label', 'ticket=OPS-12']);
    expect(list.map((e) => e.id)).toEqual([retried.id, failed.id]);
    // The origin is left as it was.
    expect(stepRuns(ws, failed.id)).toHaveLength(failed.runs.length);

    // In a parallel flow that continues on failure, only the element that failed is retried.
    writeFileSync(marker('c'), '');
    const wide = await run(['run', 'wide']);
    expect(wide.status).toBe('failed');
    rmSync(marker('c'));
    const wideRetry = await run(['retry', String(wide.id)]);
    expect(wideRetry.status).toBe('succeeded');
    expect([...new Set(wideRetry.runs.map((r) => r.element))]).toEqual(['c']);

    // A succeeded execution has nothing to retry.
    const nothing = await ws.run(['retry', String(wideRetry.id)]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('only a failed, cancelled or interrupted execution can be retried');
  });
});
