// The colour theme: follows the operating system (prefers-color-scheme) until the operator picks
// light or dark in Settings; the pick is remembered across a reload; the log's ANSI colours stay
// on their dark background in both themes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: alpha, name: alpha, host: localhost, transport: local, groups: [app] }
  - { id: bravo, name: bravo, host: localhost, transport: local, groups: [app] }
  - { id: charlie, name: charlie, host: localhost, transport: local, groups: [app] }
`;

const REPORT = `id: report
name: Report
mode: parallel
targets: { groups: [app] }
params:
  - { name: reason, default: nightly }
processing: |
  // the primary goes last
  order_flow_elements(elements, x => x.id === 'alpha' ? 1 : 0)
steps:
  - id: build
    run: echo "building on {{ element.id }}"
  - id: report
    run: printf 'report for {{ element.id }}\\n\\033[32mall green\\033[0m, \\033[33m2 warnings\\033[0m, \\033[31m0 errors\\033[0m\\ndone\\n'
`;

const shownTheme = (page: Page): Promise<string | null> => attrOf(page.locator('html'), 'data-theme');
const background = (page: Page, selector: string): Promise<string> => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);

describe('e2e: theme', () => {
  const console_ = useConsole();

  it('follows the system until a theme is picked, remembers the pick, and keeps the log readable in both', async () => {
    const { page, server } = await console_.open({ inventory: INVENTORY, flows: [REPORT] });
    const run = await server.cli(['run', 'report', '--json']);
    expect(run.code, run.stderr).toBe(0);

    // "System" (the default) follows prefers-color-scheme, live.
    await page.emulateMedia({ colorScheme: 'light' });
    await eventually(() => shownTheme(page)).toBe('light');
    const lightBg = await background(page, 'body');
    await page.emulateMedia({ colorScheme: 'dark' });
    await eventually(() => shownTheme(page)).toBe('dark');
    const darkBg = await background(page, 'body');
    expect(darkBg).not.toBe(lightBg);

    // A pick in Settings wins over the system, and survives a reload.
    await byTestId(page, 'nav-settings').click();
    expect(await byTestId(page, 'theme-system').isChecked()).toBe(true);
    await byTestId(page, 'theme-light').check();
    await eventually(() => shownTheme(page)).toBe('light');
    expect(await background(page, 'body')).toBe(lightBg);
    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    expect(await shownTheme(page)).toBe('light');
    await eventually(() => byTestId(page, 'theme-light').isChecked()).toBe(true);

    await byTestId(page, 'theme-dark').check();
    await page.emulateMedia({ colorScheme: 'light' });
    await eventually(() => shownTheme(page)).toBe('dark');
    expect(await attrOf(byTestId(page, 'theme-current'), 'data-theme-shown')).toBe('dark');
    await screenshot(page, 'settings-dark');

    // The execution in the dark theme: the log keeps its dark background and its ANSI colours.
    await page.goto(`${server.url}#/executions/1`);
    await page.locator('[data-testid="execution"][data-status="succeeded"]').waitFor();
    await byTestId(page, 'grid-cell-bravo-report').click();
    await eventually(() => attrOf(byTestId(page, 'log-view'), 'data-status')).toBe('complete');
    const logBg = await background(page, '[data-testid="log-view"] [data-testid="log-lines"]');
    const green = await page.locator('[data-testid="log-text"] span.ansi-fg-32').evaluate((el) => getComputedStyle(el).color);
    expect(green).toBe('rgb(63, 185, 80)');
    await screenshot(page, 'execution-dark', { docs: true });

    await page.goto(`${server.url}#/flows/report`);
    await byTestId(page, 'flow-ok').waitFor();
    await screenshot(page, 'flow-editor-dark', { docs: true });

    // Back to the system's choice: light again, with the same log background.
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'theme-system').check();
    await eventually(() => shownTheme(page)).toBe('light');
    await page.goto(`${server.url}#/executions/1`);
    await byTestId(page, 'grid-cell-bravo-report').click();
    await eventually(() => attrOf(byTestId(page, 'log-view'), 'data-status')).toBe('complete');
    expect(await background(page, '[data-testid="log-view"] [data-testid="log-lines"]')).toBe(logBg);
  });
});
