import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputGroups } from '../../src-shared/ipc/contract';
import { IpcHarness } from './harness';

// Five local elements: e1-e3 share a version, e4 and e5 each have their own.
const INVENTORY = '[fleet]\ne1 ansible_connection=local ver=16\ne2 ansible_connection=local ver=16\ne3 ansible_connection=local ver=16\ne4 ansible_connection=local ver=15\ne5 ansible_connection=local ver=14\n';

/** Lines of 9 bytes (4 two-byte characters and a newline): 64 KiB ends inside a character. */
const BIG_LINES = 400_000;

const flow = (dir: string): string => `id: fleet-check
name: Fleet check
mode: parallel
onFailure: continue
targets: { groups: [fleet] }
steps:
  - id: check
    run: 'echo "postgres {{ element.context.ver }}"'
  - id: streams
    run: 'echo same everywhere; echo "stderr {{ element.context.ver }}" >&2'
  - id: flaky
    run: 'if [ -e ${dir}/tried-{{ element.id }} ]; then echo settled; else touch ${dir}/tried-{{ element.id }}; echo "first try on {{ element.id }}"; exit 1; fi'
    retries: { count: 1, delay: 0 }
  - id: big
    run: 'yes éééé | head -n ${BIG_LINES}; echo "end {{ element.context.ver }}"'
  - id: old-only
    when: element.context.ver !== 16
    run: 'echo old'
  - id: gate
    run: 'test {{ element.context.ver }} != 14'
  - id: after
    run: 'echo after'
`;

const shape = (r: OutputGroups): Array<[number, string[]]> => r.groups.map((g) => [g.size, g.elements]);

describe('executions/outputGroups: identical output grouped per step', () => {
  const h = new IpcHarness();
  let id = 0;

  beforeAll(async () => {
    await h.open();
    await h.value('inventory/import', { fileName: 'hosts.ini', text: INVENTORY });
    await h.value('flows/save', { source: flow(h.dir) });
    id = (await h.value('runs/start', { flow: 'fleet-check' })).id;
    const ex = await h.waitFinished(id, 60_000);
    // e5 fails `gate` (onFailure: continue): the run ends failed, the others go on.
    expect(ex.runs.filter((r) => r.step === 'gate').map((r) => [r.element, r.status])).toContainEqual(['e5', 'failed']);
  }, 90_000);
  afterAll(() => h.close());

  it('groups the elements that printed the same, largest group first, the outliers after', async () => {
    const r = await h.value('executions/outputGroups', { id, step: 'check' });
    expect(r.step).toBe('check');
    expect(shape(r)).toEqual([
      [3, ['e1', 'e2', 'e3']],
      [1, ['e4']],
      [1, ['e5']],
    ]);
    expect(r.groups.map((g) => g.sample)).toEqual(['postgres 16\n', 'postgres 15\n', 'postgres 14\n']);
    expect(r.groups.every((g) => !g.truncated && g.bytes === Buffer.byteLength(g.sample))).toBe(true);
    expect(r.groups[0]?.key).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(r.groups.map((g) => g.key)).size).toBe(3);
    expect(r.missing).toEqual([]);
  });

  it('compares the stream asked for: stdout by default, stderr, or both in log order', async () => {
    const out = await h.value('executions/outputGroups', { id, step: 'streams', stream: 'stdout' });
    expect(shape(out)).toEqual([[5, ['e1', 'e2', 'e3', 'e4', 'e5']]]);
    expect(out.groups[0]?.sample).toBe('same everywhere\n');
    expect(await h.value('executions/outputGroups', { id, step: 'streams' })).toEqual(out);

    const err = await h.value('executions/outputGroups', { id, step: 'streams', stream: 'stderr' });
    expect(shape(err)).toEqual([
      [3, ['e1', 'e2', 'e3']],
      [1, ['e4']],
      [1, ['e5']],
    ]);
    expect(err.groups[0]?.sample).toBe('stderr 16\n');

    const both = await h.value('executions/outputGroups', { id, step: 'streams', stream: 'both' });
    expect(shape(both)).toEqual(shape(err));
    expect(both.groups[2]?.sample).toBe('same everywhere\nstderr 14\n');
  });

  it('uses the last attempt of a retried step', async () => {
    const ex = await h.value('executions/get', { id });
    expect(ex.runs.filter((r) => r.step === 'flaky' && r.element === 'e1').map((r) => [r.attempt, r.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    const r = await h.value('executions/outputGroups', { id, step: 'flaky' });
    expect(shape(r)).toEqual([[5, ['e1', 'e2', 'e3', 'e4', 'e5']]]);
    expect(r.groups[0]?.sample).toBe('settled\n');
  });

  it('hashes a several-MB output without losing a difference at its end, and cuts the sample at 64 KiB on a character boundary', async () => {
    const r = await h.value('executions/outputGroups', { id, step: 'big' });
    expect(shape(r)).toEqual([
      [3, ['e1', 'e2', 'e3']],
      [1, ['e4']],
      [1, ['e5']],
    ]);
    const big = r.groups[0];
    expect(big?.bytes).toBe(BIG_LINES * 9 + 'end 16\n'.length);
    expect(big?.truncated).toBe(true);
    // 65,536 is the second byte of a two-byte character: the cut goes one byte back.
    expect(Buffer.byteLength(big?.sample ?? '')).toBe(65_535);
    expect(big?.sample.startsWith('éééé\néééé\n')).toBe(true);
    expect(big?.sample.endsWith('\nééé')).toBe(true);
    expect(big?.sample).not.toContain('\uFFFD');
    // Asked again (finished runs' digests are remembered, the samples read anew): the same answer.
    expect(await h.value('executions/outputGroups', { id, step: 'big' })).toEqual(r);
  });

  it('lists as missing the elements that skipped the step or never got to it', async () => {
    const when = await h.value('executions/outputGroups', { id, step: 'old-only' });
    expect(shape(when)).toEqual([[2, ['e4', 'e5']]]);
    expect(when.missing).toEqual(['e1', 'e2', 'e3']);

    const after = await h.value('executions/outputGroups', { id, step: 'after' });
    expect(shape(after)).toEqual([[4, ['e1', 'e2', 'e3', 'e4']]]);
    expect(after.missing).toEqual(['e5']);
  });

  it('answers a declared step nothing ran yet with every element missing', async () => {
    await h.value('flows/save', { source: 'id: slow\nname: slow\nmode: parallel\ntargets: { groups: [fleet] }\nsteps:\n  - { id: wait, run: "sleep 5" }\n  - { id: later, run: "echo later" }\n' });
    const slow = (await h.value('runs/start', { flow: 'slow' })).id;
    try {
      const r = await h.value('executions/outputGroups', { id: slow, step: 'later' });
      expect(r).toEqual({ step: 'later', groups: [], missing: ['e1', 'e2', 'e3', 'e4', 'e5'] });
    } finally {
      await h.value('executions/cancel', { id: slow });
      await h.waitFinished(slow);
    }
  });

  it('refuses an unknown step or execution with not-found, and a bad stream as invalid input', async () => {
    expect(await h.call('executions/outputGroups', { id, step: 'nope' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: `execution ${id} has no step "nope": neither a step of its flow nor a step any element ran` },
    });
    expect(await h.call('executions/outputGroups', { id: 999_999, step: 'check' })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown execution 999999' } });
    expect(await h.call('executions/outputGroups', { id, step: 'check', stream: 'system' as 'stdout' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
