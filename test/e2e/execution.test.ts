// Run a flow from the console and watch it live: the grid, the
// progress, the timeline; open a step's log; read a failing step's error.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: alpha, name: alpha, host: localhost, transport: local, groups: [app] }
  - { id: bravo, name: bravo, host: localhost, transport: local, groups: [app] }
  - { id: charlie, name: charlie, host: localhost, transport: local, groups: [app] }
`;

// Each step takes a second: long enough to see a cell `running` before it turns `succeeded`.
const FANOUT = `id: fanout
name: Fan-out
mode: parallel
targets: { groups: [app] }
steps:
  - id: prepare
    run: sleep 1
  - id: finish
    run: sleep 1
`;

const REPORT = `id: report
name: Report
mode: parallel
targets: { groups: [app] }
steps:
  - id: build
    run: echo "building on {{ element.id }}"
  - id: report
    run: printf 'first line from {{ element.id }}\\n\\033[32mall green\\033[0m and plain\\nlast line\\n'
`;

const FAILING = `id: failing
name: Failing
mode: serial
targets: { elements: [alpha] }
steps:
  - id: check
    run: 'echo checking; echo boom >&2; exit 3'
  - id: after
    run: echo never
`;

const cells = (page: Page): Locator => page.locator('[data-testid="exec-grid"] [data-testid^="grid-cell-"]');
const cellStatuses = (page: Page): Promise<Record<string, string>> =>
  cells(page).evaluateAll((els) => Object.fromEntries(els.map((e) => [(e.getAttribute('data-testid') ?? '').replace(/^grid-cell-/, ''), e.getAttribute('data-status') ?? ''])));

/** Flows page -> the flow's row -> Run… : the run dialog. */
async function openRunDialog(page: Page, flow: string): Promise<Locator> {
  await byTestId(page, 'nav-flows').click();
  await page.locator(`[data-testid="flow-row"][data-flow="${flow}"] [data-testid="flow-run"]`).click();
  const dialog = byTestId(page, 'run-dialog');
  await dialog.locator('[data-testid="start-button"]').waitFor();
  return dialog;
}

/** Start in the run dialog; the console opens the new execution. Returns its id. */
async function start(page: Page, dialog: Locator): Promise<number> {
  await dialog.locator('[data-testid="start-button"]').click();
  await eventually(() => page.evaluate(() => location.hash)).toMatch(/^#\/executions\/\d+$/);
  const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
  await page.locator(`[data-testid="execution"][data-execution="${id}"]`).waitFor();
  return id;
}

/** The log lines as a reader sees them (line number column left out). */
const logTexts = (page: Page): Promise<string[]> => page.locator('[data-testid="log-view"] [data-testid="log-line"] [data-testid="log-text"]').allTextContents();

describe('e2e: executions', () => {
  const console_ = useConsole();

  it('journey 3: a parallel run planned, started, seen going green live, with overlapping bars on the timeline', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [FANOUT] });
    await byTestId(page, 'nav-flows').click();
    await page.locator('[data-testid="flow-row"][data-flow="fanout"] a').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/flows/fanout');
    await byTestId(page, 'flow-ok').waitFor();
    await byTestId(page, 'run-button').click();
    const dialog = byTestId(page, 'run-dialog');

    // Plan: one wave per step, all three elements side by side in each.
    await dialog.locator('[data-testid="plan-button"]').click();
    const waves = dialog.locator('[data-testid="plan-view"] [data-testid="plan-wave"]');
    await eventually(() => waves.count()).toBe(2);
    expect(await textOf(dialog.locator('[data-testid="plan-elements"]'))).toBe('alpha, bravo, charlie');
    expect(await waves.allTextContents()).toEqual(['1{ prepare@alpha, prepare@bravo, prepare@charlie }', '2{ finish@alpha, finish@bravo, finish@charlie }']);
    expect(await waves.evaluateAll((els) => els.every((e) => e.getAttribute('data-side-by-side') === 'true'))).toBe(true);
    await screenshot(page, 'run-dialog-plan');

    const id = await start(page, dialog);
    expect(await byTestId(page, 'run-dialog').count()).toBe(0);
    const execution = page.locator(`[data-testid="execution"][data-execution="${id}"]`);

    // Live: a cell is seen running (while nothing is done yet) before everything turns green.
    await page.locator('[data-testid="exec-grid"] [data-testid^="grid-cell-"][data-status="running"]').first().waitFor({ timeout: 10_000 });
    const progress = byTestId(page, 'progress');
    expect(await attrOf(progress, 'data-total')).toBe('3');
    expect(Number(await attrOf(progress, 'data-done'))).toBeLessThan(3);
    await screenshot(page, 'execution-running');

    await eventually(() => attrOf(execution, 'data-status'), 20_000).toBe('succeeded');
    await eventually(() => cellStatuses(page)).toEqual({
      'alpha-prepare': 'succeeded',
      'alpha-finish': 'succeeded',
      'bravo-prepare': 'succeeded',
      'bravo-finish': 'succeeded',
      'charlie-prepare': 'succeeded',
      'charlie-finish': 'succeeded',
    });
    await eventually(() => attrOf(progress, 'data-done')).toBe('3');
    expect(await textOf(progress)).toBe('3 / 3 elements');
    expect(await textOf(byTestId(page, 'execution-status'))).toMatch(/succeeded/);
    await screenshot(page, 'execution-grid');

    // Timeline: the three `prepare` bars overlap in time (parallel), and every `finish` starts
    // after the last `prepare` ended (the wave waits for all its elements).
    await byTestId(page, 'tab-timeline').click();
    const bars = page.locator('[data-testid="timeline"] [data-testid="timeline-bar"]');
    await eventually(() => bars.count()).toBe(6);
    const read = (step: string) =>
      page.locator(`[data-testid="timeline-bar"][data-step="${step}"]`).evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { element: e.getAttribute('data-element'), start: Number(e.getAttribute('data-start')), end: Number(e.getAttribute('data-end')), left: r.left, right: r.right };
        }),
      );
    const prepare = await read('prepare');
    const finish = await read('finish');
    expect(prepare.map((b) => b.element).sort()).toEqual(['alpha', 'bravo', 'charlie']);
    // In time...
    expect(Math.max(...prepare.map((b) => b.start))).toBeLessThan(Math.min(...prepare.map((b) => b.end)));
    expect(Math.min(...finish.map((b) => b.start))).toBeGreaterThanOrEqual(Math.max(...prepare.map((b) => b.end)));
    for (const b of [...prepare, ...finish]) expect(b.end - b.start).toBeGreaterThanOrEqual(900);
    // ...and as drawn: the bars share an x range.
    expect(Math.max(...prepare.map((b) => b.left))).toBeLessThan(Math.min(...prepare.map((b) => b.right)));
    expect(Math.min(...finish.map((b) => b.left))).toBeGreaterThanOrEqual(Math.max(...prepare.map((b) => b.right)) - 1);
    await screenshot(page, 'execution-timeline');

    // The executions list shows the run.
    await byTestId(page, 'nav-executions').click();
    await eventually(() => textOf(byTestId(page, 'executions-count'))).toMatch(/^1\b/);
    await screenshot(page, 'executions', { docs: true });
  });

  it("journey 4: clicking a cell opens that step's log, with its lines and ANSI colours", async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [REPORT] });
    const dialog = await openRunDialog(page, 'report');
    const id = await start(page, dialog);
    await eventually(() => attrOf(page.locator(`[data-testid="execution"][data-execution="${id}"]`), 'data-status'), 20_000).toBe('succeeded');

    await byTestId(page, 'grid-cell-bravo-report').click();
    const panel = byTestId(page, 'log-panel');
    await eventually(() => attrOf(panel, 'data-element')).toBe('bravo');
    expect(await attrOf(panel, 'data-step')).toBe('report');
    await eventually(() => attrOf(byTestId(page, 'log-view'), 'data-status')).toBe('complete');
    await eventually(() => logTexts(page)).toEqual(['first line from bravo', 'all green and plain', 'last line']);
    expect(await attrOf(byTestId(page, 'log-view'), 'data-lines')).toBe('3');

    // The escape sequence is drawn as a coloured span, never shown as text.
    const green = page.locator('[data-testid="log-line"] [data-testid="log-text"] span.ansi-fg-32');
    expect(await green.count()).toBe(1);
    expect(await green.textContent()).toBe('all green');
    const colours = await page
      .locator('[data-testid="log-line"]')
      .nth(1)
      .locator('[data-testid="log-text"] span')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
    expect(colours).toHaveLength(2);
    expect(colours[0]).not.toBe(colours[1]);
    expect((await page.locator('[data-testid="log-view"]').textContent()) ?? '').not.toContain('[32m');
    expect(await byTestId(page, 'step-error').count()).toBe(0);
    await screenshot(page, 'execution', { docs: true });

    // Another cell, another log.
    await byTestId(page, 'grid-cell-alpha-build').click();
    await eventually(() => attrOf(panel, 'data-element')).toBe('alpha');
    await eventually(() => logTexts(page)).toEqual(['building on alpha']);
  });

  it("journey 5: a failing step's cell is failed, its error names the exit code, its log shows stderr", async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [FAILING] });
    const dialog = await openRunDialog(page, 'failing');
    const id = await start(page, dialog);
    const execution = page.locator(`[data-testid="execution"][data-execution="${id}"]`);
    await eventually(() => attrOf(execution, 'data-status'), 20_000).toBe('failed');

    const cell = byTestId(page, 'grid-cell-alpha-check');
    await eventually(() => attrOf(cell, 'data-status')).toBe('failed');
    // The element's remaining step does not run.
    expect(await attrOf(byTestId(page, 'grid-cell-alpha-after'), 'data-status')).toBe('skipped');
    expect(await textOf(byTestId(page, 'execution-status'))).toMatch(/failed/);

    await cell.click();
    const error = byTestId(page, 'step-error');
    await eventually(() => textOf(error)).toMatch(/exit code 3/);
    await eventually(() => attrOf(byTestId(page, 'log-view'), 'data-status')).toBe('complete');
    await eventually(() => logTexts(page)).toEqual(expect.arrayContaining(['checking', 'boom']));
    // `boom` came on stderr, and is drawn as such.
    const boom = page.locator('[data-testid="log-line"]', { hasText: 'boom' });
    expect(await boom.getAttribute('data-stream')).toBe('stderr');
    expect(await textOf(page.locator('[data-testid="log-panel"] [data-testid="log-panel-head"]'))).toContain('exit 3');
    await screenshot(page, 'execution-failed');
  });
});
