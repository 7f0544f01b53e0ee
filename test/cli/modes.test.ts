import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { assertWaves } from '../support/report';

// Long enough that "side by side" and "one after another" cannot be confused on a busy 2-core machine.
const STEP = 'sleep 0.4';

const inventory = `
elements:
  - { id: e1, name: E1, host: localhost, transport: local, context: { rank: 2 } }
  - { id: e2, name: E2, host: localhost, transport: local, context: { rank: 1 } }
`;

function child(id: string, mode: string): string {
  return `
id: ${id}
name: child ${mode}
mode: ${mode}
processing: order_flow_elements(elements, x => x.context.rank, true)
steps:
  - { id: B, run: ${STEP} }
  - { id: C, run: ${STEP} }
  - { id: D, run: ${STEP} }
`;
}

function parent(id: string, mode: string, childId: string, reverse = true): string {
  return `
id: ${id}
name: parent ${mode}
mode: ${mode}
targets: { elements: [e1, e2] }
processing: |
  // E1 has the higher rank: reverse order puts it first, whatever the inventory order.
  order_flow_elements(elements, x => x.context.rank, ${reverse})
steps:
  - { id: A, run: ${STEP} }
  - { id: F2, flow: ${childId} }
  - { id: F, run: ${STEP} }
`;
}

const serialOrder = (first: string, second: string): string[][] =>
  [first, second].flatMap((e) => ['A', 'F2/B', 'F2/C', 'F2/D', 'F'].map((s) => [`${s}@${e}`]));

describe('the four parent/child mode combinations (SPEC 4), through the CLI on a real database', () => {
  const ws = new Workspace();

  beforeAll(async () => {
    ws.file('inventory.yaml', inventory);
    const files = [
      ws.file('c-serial.yaml', child('c-serial', 'serial')),
      ws.file('c-parallel.yaml', child('c-parallel', 'parallel')),
      ws.file('p-ss.yaml', parent('p-ss', 'serial', 'c-serial')),
      ws.file('p-sp.yaml', parent('p-sp', 'serial', 'c-parallel')),
      ws.file('p-ps.yaml', parent('p-ps', 'parallel', 'c-serial')),
      ws.file('p-pp.yaml', parent('p-pp', 'parallel', 'c-parallel')),
      ws.file('p-ss-fwd.yaml', parent('p-ss-fwd', 'serial', 'c-serial', false)),
    ];
    expect((await ws.run(['inventory', 'import', ws.path('inventory.yaml')])).code).toBe(0);
    const imp = await ws.run(['flow', 'import', ...files]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const run = async (flow: string): Promise<ExecutionReport> => {
    const r = await ws.run(['run', flow, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status).toBe('succeeded');
    return rep;
  };

  it('Serial parent, serial child: A1 B1 C1 D1 F1, then A2 B2 C2 D2 F2', async () => {
    assertWaves(await run('p-ss'), serialOrder('e1', 'e2'));
  });

  it('Serial parent, parallel child: the same, the child gets one element each time', async () => {
    assertWaves(await run('p-sp'), serialOrder('e1', 'e2'));
  });

  it('Parallel parent, serial child: {A1,A2}, B1 C1 D1 B2 C2 D2, {F1,F2}', async () => {
    assertWaves(await run('p-ps'), [
      ['A@e1', 'A@e2'],
      ['F2/B@e1'],
      ['F2/C@e1'],
      ['F2/D@e1'],
      ['F2/B@e2'],
      ['F2/C@e2'],
      ['F2/D@e2'],
      ['F@e1', 'F@e2'],
    ]);
  });

  it('Parallel parent, parallel child: {A1,A2} {B1,B2} {C1,C2} {D1,D2} {F1,F2}', async () => {
    assertWaves(await run('p-pp'), [
      ['A@e1', 'A@e2'],
      ['F2/B@e1', 'F2/B@e2'],
      ['F2/C@e1', 'F2/C@e2'],
      ['F2/D@e1', 'F2/D@e2'],
      ['F@e1', 'F@e2'],
    ]);
  });

  it('the processing script decides the order: ascending rank runs E2 first', async () => {
    assertWaves(await run('p-ss-fwd'), serialOrder('e2', 'e1'));
  });

  it('the dry run shows the same order and writes nothing', async () => {
    const r = await ws.run(['run', 'p-ps', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { elements: string[]; waves: Array<Array<{ step: string; element: string }>> };
    expect(plan.elements).toEqual(['e1', 'e2']);
    expect(plan.waves.map((w) => w.map((x) => `${x.step}@${x.element}`))).toEqual([
      ['A@e1', 'A@e2'],
      ['F2/B@e1'],
      ['F2/C@e1'],
      ['F2/D@e1'],
      ['F2/B@e2'],
      ['F2/C@e2'],
      ['F2/D@e2'],
      ['F@e1', 'F@e2'],
    ]);
    const list = await ws.json<Array<{ flow: string }>>(['executions', 'list', '--json']);
    expect(list.filter((e) => e.flow === 'p-ps')).toHaveLength(1);
  });

  it('executions show --json has the SPEC 9 shape and matches run --json', async () => {
    const rep = await run('p-pp');
    const shown = await ws.json<ExecutionReport>(['executions', 'show', String(rep.id), '--json']);
    expect(shown).toMatchObject({ id: rep.id, flow: 'p-pp', status: 'succeeded' });
    expect(typeof shown.startedAt).toBe('number');
    expect(typeof shown.finishedAt).toBe('number');
    expect(shown.runs).toEqual(rep.runs);
    for (const r of shown.runs) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['element', 'step', 'attempt', 'status', 'exitCode', 'startedAt', 'finishedAt']));
    }
    expect(shown.runs.map((r) => r.step)).toContain('F2/B');
    const list = await ws.json<Array<{ id: number; flow: string; status: string; startedAt: number; finishedAt: number }>>(['executions', 'list', '--json']);
    expect(list[0]).toMatchObject({ id: rep.id, flow: 'p-pp', status: 'succeeded' });
    expect(list.map((e) => e.id)).toEqual([...list.map((e) => e.id)].sort((a, b) => b - a));
  });
});
