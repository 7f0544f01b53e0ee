// Output grouping in the console: a step's output by element, "3 identical, 2 differ",
// the outliers side by side, refreshed live while the step runs, each element one click from its log.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: db1, name: db1, host: localhost, transport: local, groups: [db], context: { ver: 16 } }
  - { id: db2, name: db2, host: localhost, transport: local, groups: [db], context: { ver: 16 } }
  - { id: db3, name: db3, host: localhost, transport: local, groups: [db], context: { ver: 16 } }
  - { id: db4, name: db4, host: localhost, transport: local, groups: [db], context: { ver: 15 } }
  - { id: db5, name: db5, host: localhost, transport: local, groups: [db], context: { ver: 14 } }
`;

// Two at a time, a second each: the panel is open before the last elements have run.
const VERSIONS = `id: versions
name: Versions
mode: parallel
concurrency: 2
targets: { groups: [db] }
steps:
  - id: check
    run: "sleep 1; printf 'server version \\\\033[32m{{ element.context.ver }}\\\\033[0m\\\\nuptime ok\\\\n'"
`;

async function startRun(page: Page, flow: string): Promise<number> {
  await byTestId(page, 'nav-flows').click();
  await page.locator(`[data-testid="flow-row"][data-flow="${flow}"] [data-testid="flow-run"]`).click();
  const dialog = byTestId(page, 'run-dialog');
  await dialog.locator('[data-testid="start-button"]').click();
  await eventually(() => page.evaluate(() => location.hash)).toMatch(/^#\/executions\/\d+$/);
  const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
  await page.locator(`[data-testid="execution"][data-execution="${id}"]`).waitFor();
  return id;
}

const groupElements = (page: Page): Promise<string[][]> =>
  page
    .locator('[data-testid="output-group"]')
    .evaluateAll((els) => els.map((g) => [...g.querySelectorAll('[data-testid="output-group-element"]')].map((c) => c.getAttribute('data-element') ?? '')));

describe('e2e: output by element', () => {
  const console_ = useConsole();

  it('groups identical output live, shows the outliers side by side and opens an element log from its chip', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [VERSIONS] });
    const id = await startRun(page, 'versions');

    // Opened from the keyboard while the step still runs: the declared column is there at once.
    const header = page.locator('[data-testid="grid-column-group"][data-step="check"]');
    await header.focus();
    await page.keyboard.press('Enter');
    const panel = byTestId(page, 'output-groups');
    await panel.waitFor();
    expect(await attrOf(header, 'aria-pressed')).toBe('true');
    const summary = byTestId(panel, 'output-groups-summary');
    // Not everything has run when the panel first answers; it follows the runs to the end.
    await eventually(() => textOf(summary)).toMatch(/running|not run/);

    await eventually(() => attrOf(page.locator(`[data-testid="execution"][data-execution="${id}"]`), 'data-status'), 30_000).toBe('succeeded');
    await eventually(() => attrOf(panel, 'data-loading')).toBe('false');
    await eventually(() => textOf(summary)).toBe('3 identical, 2 differ');
    expect(await groupElements(page)).toEqual([['db1', 'db2', 'db3'], ['db4'], ['db5']]);
    expect(await page.locator('[data-testid="output-group"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-size')))).toEqual(['3', '1', '1']);

    // The sample is drawn by the log renderer: colours as spans, never escape codes.
    const main = page.locator('[data-testid="output-group"]').first();
    expect(await main.locator('[data-testid="output-group-sample"] [data-testid="output-line"]').allTextContents()).toEqual(['server version 16', 'uptime ok']);
    expect(await main.locator('.ansi-fg-32').textContent()).toBe('16');
    expect((await textOf(panel)) ?? '').not.toContain('[32m');

    // The two outliers side by side: same top, one to the right of the other, below the main group.
    const outliers = byTestId(panel, 'output-outliers').locator('[data-testid="output-group"]');
    expect(await outliers.count()).toBe(2);
    const [a, b] = await outliers.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    const top = (await main.evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect)).bottom;
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    expect(Math.abs(a.top - b.top)).toBeLessThan(2);
    expect(b.left).toBeGreaterThanOrEqual(a.right - 1);
    expect(a.top).toBeGreaterThanOrEqual(top - 1);
    expect(await outliers.nth(0).locator('[data-testid="output-line"]').allTextContents()).toEqual(['server version 15', 'uptime ok']);
    expect(await outliers.nth(1).locator('[data-testid="output-line"]').allTextContents()).toEqual(['server version 14', 'uptime ok']);
    await screenshot(page, 'output-groups');

    // A chip opens that element's log of this step.
    await outliers.nth(1).locator('[data-testid="output-group-element"][data-element="db5"]').click();
    const log = byTestId(page, 'log-panel');
    await eventually(() => attrOf(log, 'data-element')).toBe('db5');
    expect(await attrOf(log, 'data-step')).toBe('check');
    await eventually(() => page.locator('[data-testid="log-view"] [data-testid="log-line"] [data-testid="log-text"]').allTextContents()).toEqual(['server version 14', 'uptime ok']);
    expect(await attrOf(outliers.nth(1).locator('[data-element="db5"]'), 'aria-pressed')).toBe('true');
    await screenshot(page, 'output-groups-with-log');

    // Another stream: nothing went to stderr, so every element agrees.
    await byTestId(panel, 'output-groups-stream').selectOption('stderr');
    await eventually(() => textOf(summary)).toBe('all 5 identical');
    expect(await groupElements(page)).toEqual([['db1', 'db2', 'db3', 'db4', 'db5']]);

    await byTestId(panel, 'output-groups-close').click();
    expect(await byTestId(page, 'output-groups').count()).toBe(0);
    expect(await attrOf(header, 'aria-pressed')).toBe('false');
  });
});
