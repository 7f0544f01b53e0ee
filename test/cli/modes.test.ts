import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { assertMarkedOrder, assertRecordedOrder, marking, modeFlowFiles, modeTable, parallelSerialOrder } from '../support/mode-flows';

const inventory = `
elements:
  - { id: e1, name: E1, host: localhost, transport: local, context: { rank: 2 } }
  - { id: e2, name: E2, host: localhost, transport: local, context: { rank: 1 } }
`;

// The engine suite (test/engine/modes.test.ts) proves the table step by step with held
// commands; this one proves the CLI, as a process on a real database with real shell
// commands, runs the same order end to end.
describe('the four parent/child mode combinations, through the CLI on a real database', () => {
  const ws = new Workspace();
  const orderLog = ws.path('order.log');

  beforeAll(async () => {
    ws.file('inventory.yaml', inventory);
    const files = modeFlowFiles((n, t) => ws.file(n, t), marking(ws.dir));
    expect((await ws.run(['inventory', 'import', ws.path('inventory.yaml')])).code).toBe(0);
    const imp = await ws.run(['flow', 'import', ...files]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
  });
  beforeEach(() => {
    ws.file('order.log', '');
    rmSync(ws.path('barrier'), { recursive: true, force: true });
  });
  afterAll(() => ws.dispose());

  const run = async (flow: string): Promise<ExecutionReport> => {
    const r = await ws.run(['run', flow, '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, `${r.stderr}\n${JSON.stringify(rep.runs.filter((x) => x.error), null, 1)}`).toBe('succeeded');
    expect(r.code, r.stderr).toBe(0);
    return rep;
  };
  const marked = (): string[] => readFileSync(orderLog, 'utf8').split('\n').filter(Boolean);

  for (const { flow, row, waves } of modeTable) {
    // A process per run on a loaded 2-core machine: generous, and above the barrier's own bound.
    it(row, { timeout: 60_000 }, async () => {
      const rep = await run(flow);
      assertMarkedOrder(marked(), waves);
      assertRecordedOrder(rep, waves);
    });
  }

  it('the dry run shows the same order and writes nothing', async () => {
    const r = await ws.run(['run', 'p-ps', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { elements: string[]; waves: Array<Array<{ step: string; element: string }>> };
    expect(plan.elements).toEqual(['e1', 'e2']);
    expect(plan.waves.map((w) => w.map((x) => `${x.step}@${x.element}`))).toEqual(parallelSerialOrder);
    const list = await ws.json<Array<{ flow: string }>>(['executions', 'list', '--json']);
    expect(list.filter((e) => e.flow === 'p-ps')).toHaveLength(1);
    expect(marked()).toEqual([]);
  });

  it('executions show --json has the documented shape and matches run --json', { timeout: 60_000 }, async () => {
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
