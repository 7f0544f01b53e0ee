import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { assertWaves } from '../support/report';
import { modeFlowFiles, parallelParallelOrder, parallelSerialOrder, serialOrder } from '../support/mode-flows';

const inventory = `
elements:
  - { id: e1, name: E1, host: localhost, transport: local, context: { rank: 2 } }
  - { id: e2, name: E2, host: localhost, transport: local, context: { rank: 1 } }
`;

describe('the four parent/child mode combinations (SPEC 4), through the CLI on a real database', () => {
  const ws = new Workspace();

  beforeAll(async () => {
    ws.file('inventory.yaml', inventory);
    const files = modeFlowFiles((n, t) => ws.file(n, t));
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
    assertWaves(await run('p-ps'), parallelSerialOrder);
  });

  it('Parallel parent, parallel child: {A1,A2} {B1,B2} {C1,C2} {D1,D2} {F1,F2}', async () => {
    assertWaves(await run('p-pp'), parallelParallelOrder);
  });

  it('the processing script decides the order: ascending rank runs E2 first', async () => {
    assertWaves(await run('p-ss-fwd'), serialOrder('e2', 'e1'));
  });

  it('the dry run shows the same order and writes nothing', async () => {
    const r = await ws.run(['run', 'p-ps', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { elements: string[]; waves: Array<Array<{ step: string; element: string }>> };
    expect(plan.elements).toEqual(['e1', 'e2']);
    expect(plan.waves.map((w) => w.map((x) => `${x.step}@${x.element}`))).toEqual(parallelSerialOrder);
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
