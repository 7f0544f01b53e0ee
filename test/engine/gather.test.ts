import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { listBatchOrders } from '../../src-main/store/batch-order-queries';
import { EngineHarness } from '../support/engine';

const inventory = `elements:
${['pg1', 'pg2', 'pg3', 'pg4'].map((id) => `  - { id: ${id}, name: ${id}, host: localhost, transport: local, groups: [pg] }`).join('\n')}
`;

/**
 * A Patroni-like rollout: the leader goes last. The gather prints whether this element leads
 * now (a file stands in for the cluster's state); restarting pg1 moves the leadership to pg3,
 * as a switchover would.
 */
function rollout(dir: string, id: string, extra: string): string {
  const leader = join(dir, 'leader');
  return `id: ${id}
name: ${id}
mode: serial
targets: { groups: [pg] }
${extra}
gather: 'if [ "$(cat ${leader})" = {{ element.id }} ]; then echo "{\\"leader\\": true}"; else echo "{\\"leader\\": false}"; fi'
processing: "order_flow_elements(elements, x => x.facts.leader ? 1 : 0)"
steps:
  - id: restart
    run: 'echo restarting {{ element.id }}; if [ {{ element.id }} = pg1 ]; then echo pg3 > ${leader}; fi'
`;
}

const restartOrder = (r: ExecutionReport): string[] =>
  r.runs
    .filter((x) => x.step === 'restart')
    .sort((a, b) => (a.startedAt as number) - (b.startedAt as number))
    .map((x) => x.element);

describe('gather and reorderEachBatch: the order is decided on fresh facts', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = await new EngineHarness().open();
    h.inventory(inventory);
    writeFileSync(join(h.dir, 'leader'), 'pg4\n');
  });
  afterEach(() => h.close());

  it('the leader moves during the rollout, and the new leader still runs last', async () => {
    h.flows(rollout(h.dir, 'live', 'reorderEachBatch: true'));
    const report = await h.run('live');
    expect(report.status).toBe('succeeded');
    expect(readFileSync(join(h.dir, 'leader'), 'utf8').trim()).toBe('pg3');
    expect(restartOrder(report)).toEqual(['pg1', 'pg2', 'pg4', 'pg3']);
    // Gathered before each batch, on the elements not yet run: 4, then 3, 2, 1.
    const gathers = report.runs.filter((x) => x.step === '@gather');
    expect(gathers.filter((x) => x.element === 'pg3').map((x) => x.attempt)).toEqual([1, 2, 3, 4]);
    expect(gathers.filter((x) => x.element === 'pg1')).toHaveLength(1);
    const orders = listBatchOrders(h.rt.db, report.id);
    expect(orders.map((o) => [o.batch, o.elements])).toEqual([
      [1, ['pg1', 'pg2', 'pg3', 'pg4']],
      [2, ['pg2', 'pg4', 'pg3']],
      [3, ['pg4', 'pg3']],
      [4, ['pg3']],
    ]);
    expect(orders[1]?.facts).toEqual({ pg2: { leader: false }, pg4: { leader: false }, pg3: { leader: true } });
  });

  it('without reorderEachBatch, gather runs once before the first step: the order does not follow the switchover', async () => {
    h.flows(rollout(h.dir, 'once', ''));
    const report = await h.run('once');
    expect(report.status).toBe('succeeded');
    expect(restartOrder(report)).toEqual(['pg1', 'pg2', 'pg3', 'pg4']);
    expect(report.runs.filter((x) => x.step === '@gather')).toHaveLength(4);
  });

  it('a failed gather is that element’s failure under the flow’s rules', async () => {
    h.flows(rollout(h.dir, 'broken', 'reorderEachBatch: true\nonFailure: continue').replace('gather: \'', "gather: '[ {{ element.id }} != pg2 ] || exit 3; "));
    const report = await h.run('broken');
    expect(report.status).toBe('failed');
    expect(report.runs.find((x) => x.step === '@gather' && x.element === 'pg2')?.status).toBe('failed');
    expect(report.runs.find((x) => x.step === 'restart' && x.element === 'pg2')?.status).toBe('skipped');
    expect(restartOrder(report).filter((e) => e !== 'pg2')).toEqual(['pg1', 'pg4', 'pg3']);
  });
});
