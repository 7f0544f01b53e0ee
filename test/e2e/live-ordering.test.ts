// Live ordering in the console: the order a gather flow decided for each batch, and the facts
// behind it, on the execution page; and the Settings page's queue cap.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { byTestId, editorText, eventually, screenshot, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
${['pg1', 'pg2', 'pg3', 'pg4'].map((id) => `  - { id: ${id}, name: ${id}, host: localhost, transport: local, groups: [pg] }`).join('\n')}
`;

const rollout = (leader: string): string => `id: rollout
name: Rolling restart
mode: serial
targets: { groups: [pg] }
gather: 'if [ "$(cat ${leader})" = {{ element.id }} ]; then echo "{\\"leader\\": true}"; else echo "{\\"leader\\": false}"; fi'
reorderEachBatch: true
processing: "order_flow_elements(elements, x => x.facts.leader ? 1 : 0)"
steps:
  - id: restart
    run: 'echo restarting {{ element.id }}; if [ {{ element.id }} = pg1 ]; then echo pg3 > ${leader}; fi'
`;

describe('e2e: live ordering and the queue cap', () => {
  const console_ = useConsole();

  it('shows each batch order with its facts: the leader moved and still went last', async () => {
    // The flow names its leader file by path; the console's folder exists once it is open.
    const session = await console_.open({ inventory: INVENTORY });
    const { page, server } = session;
    const leader = join(server.dir, 'leader');
    writeFileSync(leader, 'pg4\n');
    const imported = await server.cli(['flow', 'import', server.file('rollout.yaml', rollout(leader))]);
    expect(imported.code, imported.stderr).toBe(0);
    const ran = await server.cli(['run', 'rollout', '--json']);
    const report = JSON.parse(ran.stdout) as ExecutionReport;
    expect(report.status).toBe('succeeded');

    await page.evaluate((id) => (location.hash = `#/executions/${id}`), report.id);
    const panel = byTestId(page, 'batch-orders');
    await panel.waitFor();
    await panel.locator('summary').click();
    const orders = await panel
      .locator('[data-testid="batch-order"]')
      .evaluateAll((sections) => sections.map((s) => [...s.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-element'))));
    expect(orders).toEqual([['pg1', 'pg2', 'pg3', 'pg4'], ['pg2', 'pg4', 'pg3'], ['pg4', 'pg3'], ['pg3']]);
    const second = panel.locator('[data-testid="batch-order"][data-batch="2"] tr[data-element="pg3"]');
    expect(await textOf(second)).toContain('{"leader":true}');
    await screenshot(page, 'batch-orders');
  });

  it("the flow editor's settings write gather, reorderEachBatch, rateLimit and allowEmpty into the YAML", async () => {
    const { page } = await console_.open({ inventory: INVENTORY });
    await byTestId(page, 'nav-flows').click();
    await byTestId(page, 'flow-new').click();
    await byTestId(page, 'flow-ok').waitFor();
    await byTestId(page, 'tab-settings').click();
    await byTestId(page, 'control-reorderEachBatch').selectOption('true');
    await byTestId(page, 'control-reorder-needs-gather').waitFor();
    await byTestId(page, 'control-gather-input').fill('patronictl list --format json');
    await byTestId(page, 'control-rateLimit-input').fill('5');
    await byTestId(page, 'control-allowEmpty').selectOption('true');
    expect(await byTestId(page, 'control-reorder-needs-gather').count()).toBe(0);
    await byTestId(page, 'tab-yaml').click();
    const yaml = await editorText(page);
    expect(yaml).toMatch(/^rateLimit: 5$/m);
    expect(yaml).toMatch(/^allowEmpty: true$/m);
    expect(yaml).toMatch(/^gather: patronictl list --format json$/m);
    expect(yaml).toMatch(/^reorderEachBatch: true$/m);
    await byTestId(page, 'flow-ok').waitFor();
  });

  it('the Settings page sets the queue cap, and clears it', async () => {
    const { page, server } = await console_.open();
    await byTestId(page, 'nav-settings').click();
    const input = byTestId(page, 'max-queued');
    await input.fill('20');
    await byTestId(page, 'limits-save').click();
    await byTestId(page, 'limits-saved').waitFor();
    await eventually(async () => (await server.cli(['settings', 'get', 'maxQueuedExecutions'])).stdout).toBe('20\n');
    await input.fill('');
    await byTestId(page, 'limits-save').click();
    await eventually(async () => (await server.cli(['settings', 'get', 'maxQueuedExecutions'])).stdout).toBe('none\n');
    await input.fill('-1');
    expect(await textOf(byTestId(page, 'max-queued-error'))).toMatch(/between 0 and 100000/);
  });
});
