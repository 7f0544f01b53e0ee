// Pause, resume, cancel, approve and retry each work from the console.
// Journeys against the real headless console: a run is paused and nothing new starts until it is
// resumed; an approval step is answered both ways; a failure is retried (new execution, linked)
// and resumed (same execution, only the failed step onward); cancel kills a running command.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { attrOf, byTestId, dataElements, eventually, screenshot, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: a, name: a, host: localhost, transport: local, groups: [app] }
  - { id: b, name: b, host: localhost, transport: local, groups: [app] }
  - { id: c, name: c, host: localhost, transport: local, groups: [app] }
`;

// Serial over three elements, a second per step: about six seconds if nothing stops it.
const ROLLING = `id: rolling
name: Rolling
mode: serial
targets: { groups: [app] }
steps:
  - id: drain
    run: sleep 1
  - id: restart
    run: sleep 1
`;

const GATED = `id: gated
name: Gated
mode: serial
targets: { elements: [a] }
steps:
  - id: first
    run: echo first
  - id: ask
    approval: "Restart the rest?"
  - id: rest
    run: echo rest
`;

/** Fails its second step on an element while `<dir>/fail-<element>` exists. */
const shaky = (dir: string): string => `id: shaky
name: Shaky
mode: serial
targets: { groups: [app] }
steps:
  - id: one
    run: echo one
  - id: two
    run: 'test ! -e ${dir}/fail-{{ element.id }}'
  - id: three
    run: echo three
`;

// An odd duration, so the test can look for this exact command among the processes.
const SLEEPER = `id: sleeper
name: Sleeper
mode: serial
targets: { elements: [a] }
steps:
  - id: long
    run: sleep 31.7
`;

const cellStatuses = (page: Page): Promise<Record<string, string>> =>
  page
    .locator('[data-testid="exec-grid"] [data-testid^="grid-cell-"]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e.getAttribute('data-testid') ?? '').replace(/^grid-cell-/, ''), e.getAttribute('data-status') ?? ''])));

const cellAttempts = (page: Page): Promise<Record<string, number>> =>
  page
    .locator('[data-testid="exec-grid"] [data-testid^="grid-cell-"]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e.getAttribute('data-testid') ?? '').replace(/^grid-cell-/, ''), Number(e.getAttribute('data-attempts'))])));

async function openRunDialog(page: Page, flow: string): Promise<Locator> {
  await byTestId(page, 'nav-flows').click();
  await page.locator(`[data-testid="flow-row"][data-flow="${flow}"] [data-testid="flow-run"]`).click();
  const dialog = byTestId(page, 'run-dialog');
  await dialog.locator('[data-testid="start-button"]').waitFor();
  return dialog;
}

const executionIdInHash = async (page: Page): Promise<number> => Number((await page.evaluate(() => location.hash)).split('/').pop());

/** Runs the flow from its run dialog; returns the new execution's id once its page shows. */
async function run(page: Page, flow: string): Promise<number> {
  const before = await page.evaluate(() => location.hash);
  const dialog = await openRunDialog(page, flow);
  await dialog.locator('[data-testid="start-button"]').click();
  await eventually(() => page.evaluate(() => location.hash)).not.toBe(before);
  await eventually(() => page.evaluate(() => location.hash)).toMatch(/^#\/executions\/\d+$/);
  const id = await executionIdInHash(page);
  await page.locator(`[data-testid="execution"][data-execution="${id}"]`).waitFor();
  return id;
}

const statusOf = (page: Page, id: number): Promise<string | null> => attrOf(page.locator(`[data-testid="execution"][data-execution="${id}"]`), 'data-status');

// Whole journeys on a loaded two-core box: room for slow starts, never a speed assertion.
const JOURNEY_TIMEOUT_MS = 120_000;

describe('e2e: execution control from the console', () => {
  const console_ = useConsole();
  const temps: string[] = [];
  afterEach(() => {
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('pause: running steps finish, no new step run starts while paused; resume: it finishes', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [ROLLING] });
    const id = await run(page, 'rolling');
    await byTestId(page, 'grid-cell-a-drain').and(page.locator('[data-status="running"]')).waitFor({ timeout: 20_000 });
    // Only what a running execution can do is offered.
    expect(await byTestId(page, 'control-resume').count()).toBe(0);
    expect(await byTestId(page, 'control-retry').count()).toBe(0);

    await byTestId(page, 'control-pause').click();
    // Asked first (the running step finishes), then paused.
    await eventually(() => attrOf(byTestId(page, 'pause-state'), 'data-state'), 20_000).toMatch(/^(pausing|paused)$/);
    await eventually(() => statusOf(page, id), 20_000).toBe('paused');
    await eventually(() => attrOf(byTestId(page, 'pause-state'), 'data-state')).toBe('paused');
    expect(await byTestId(page, 'control-pause').count()).toBe(0);
    await byTestId(page, 'control-resume').waitFor();
    await byTestId(page, 'cancel-button').waitFor();

    // Whatever was running has finished and nothing new starts: the grid stands still.
    await eventually(async () => Object.values(await cellStatuses(page)).filter((s) => s === 'running').length).toBe(0);
    const still = await cellStatuses(page);
    expect(Object.values(still).filter((s) => s === 'succeeded').length).toBeLessThan(6);
    await screenshot(page, 'execution-paused');
    await page.waitForTimeout(3000);
    expect(await cellStatuses(page)).toEqual(still);
    expect(await statusOf(page, id)).toBe('paused');

    await byTestId(page, 'control-resume').click();
    await eventually(() => statusOf(page, id), 30_000).toBe('succeeded');
    expect(await byTestId(page, 'pause-state').count()).toBe(0);
    await eventually(() => cellStatuses(page)).toEqual({
      'a-drain': 'succeeded',
      'a-restart': 'succeeded',
      'b-drain': 'succeeded',
      'b-restart': 'succeeded',
      'c-drain': 'succeeded',
      'c-restart': 'succeeded',
    });
    // Succeeded: nothing left to control.
    expect(await byTestId(page, 'control-bar').count()).toBe(0);
  }, JOURNEY_TIMEOUT_MS);

  it('approval: the panel and a notice ask; approve goes on and shows who and when; reject fails the step', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [GATED] });
    const me = userInfo().username;

    const first = await run(page, 'gated');
    const pending = page.locator('[data-testid="approval"][data-status="pending"]');
    await pending.waitFor({ timeout: 20_000 });
    expect(await textOf(pending.locator('[data-testid="approval-message"]'))).toBe('Restart the rest?');
    expect(await attrOf(pending, 'data-step')).toBe('ask');
    expect(await attrOf(byTestId(page, 'grid-cell-a-first'), 'data-status')).toBe('succeeded');
    await eventually(() => attrOf(byTestId(page, 'grid-cell-a-ask'), 'data-awaiting')).toBe('true');
    expect(await byTestId(page, 'grid-cell-a-rest').count() === 0 || (await attrOf(byTestId(page, 'grid-cell-a-rest'), 'data-status')) === 'none').toBe(true);
    // The headless console says so in the page, with a link to the execution.
    const notice = page.locator(`[data-testid="notice"][data-execution="${first}"][data-kind="approval"]`);
    await notice.waitFor();
    expect(await attrOf(notice.locator('[data-testid="notice-link"]'), 'href')).toBe(`#/executions/${first}`);
    await screenshot(page, 'execution-approval', { docs: true });

    await pending.locator('[data-testid="approval-comment"]').fill('window is open');
    await pending.locator('[data-testid="approval-approve"]').click();
    await eventually(() => statusOf(page, first), 20_000).toBe('succeeded');
    const approved = page.locator('[data-testid="approval"][data-status="approved"]');
    await approved.waitFor();
    expect(await textOf(approved.locator('[data-testid="approval-by"]'))).toBe(me);
    expect(await textOf(approved.locator('[data-testid="approval-at"]'))).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await textOf(approved.locator('[data-testid="approval-decision"]'))).toContain('window is open');
    expect(await attrOf(byTestId(page, 'grid-cell-a-rest'), 'data-status')).toBe('succeeded');
    expect(await attrOf(byTestId(page, 'grid-cell-a-ask'), 'data-status')).toBe('succeeded');
    // The "waits" notice gave way to the end of the run.
    await page.locator(`[data-testid="notice"][data-execution="${first}"][data-kind="finished"][data-status="succeeded"]`).waitFor();
    await screenshot(page, 'execution-approved');

    // A second run waits too; the history shows it waiting; this time it is rejected.
    const second = await run(page, 'gated');
    await page.locator('[data-testid="approval"][data-status="pending"]').waitFor({ timeout: 20_000 });
    await byTestId(page, 'nav-executions').click();
    const row = page.locator(`[data-testid="execution-row"][data-execution="${second}"]`);
    await eventually(() => row.locator('[data-testid="awaiting-approval"]').count()).toBe(1);
    expect(await page.locator(`[data-testid="execution-row"][data-execution="${first}"] [data-testid="awaiting-approval"]`).count()).toBe(0);
    await row.click();
    const pending2 = page.locator('[data-testid="approval"][data-status="pending"]');
    await pending2.waitFor();
    await pending2.locator('[data-testid="approval-reject"]').click();
    await eventually(() => statusOf(page, second), 20_000).toBe('failed');
    const rejected = page.locator('[data-testid="approval"][data-status="rejected"]');
    await rejected.waitFor();
    expect(await textOf(rejected.locator('[data-testid="approval-by"]'))).toBe(me);
    await eventually(() => attrOf(byTestId(page, 'grid-cell-a-ask'), 'data-status')).toBe('failed');
    expect(await attrOf(byTestId(page, 'grid-cell-a-rest'), 'data-status')).not.toBe('succeeded');
    await page.locator(`[data-testid="notice"][data-execution="${second}"][data-kind="finished"][data-status="failed"]`).waitFor();
    await screenshot(page, 'execution-rejected');
  }, JOURNEY_TIMEOUT_MS);

  it('retry failed: a new execution on the failed and not-run elements, linked; resume: the same one, from the failed step', async () => {
    const markers = mkdtempSync(join(tmpdir(), 'flowdeck-e2e-markers-'));
    temps.push(markers);
    writeFileSync(join(markers, 'fail-b'), '');
    const { page, context, server } = await console_.open({ inventory: INVENTORY, flows: [shaky(markers)] });

    // a passes, b fails at `two` (so `three` is skipped), c never starts.
    const origin = await run(page, 'shaky');
    await eventually(() => statusOf(page, origin), 20_000).toBe('failed');
    await eventually(() => cellStatuses(page)).toMatchObject({ 'a-one': 'succeeded', 'a-two': 'succeeded', 'a-three': 'succeeded', 'b-one': 'succeeded', 'b-two': 'failed' });
    expect(['none', 'skipped']).toContain((await cellStatuses(page))['b-three']);
    expect(['none', 'skipped']).toContain((await cellStatuses(page))['c-one'] ?? 'none');
    expect(await byTestId(page, 'control-pause').count()).toBe(0);
    await screenshot(page, 'execution-failed-controls');

    // A second window on the origin: the retry started in the first shows up there as it starts.
    const other = await context.newPage();
    const otherErrors: string[] = [];
    other.on('pageerror', (e) => otherErrors.push(e.message));
    await other.goto(`${server.url}#/executions/${origin}`);
    await other.locator(`[data-testid="execution"][data-execution="${origin}"]`).waitFor();
    expect(await byTestId(other, 'execution-retries').count()).toBe(0);

    // Retry failed: the console opens the new execution, on b and c only, linked to its origin.
    await byTestId(page, 'control-retry').click();
    await eventually(() => executionIdInHash(page)).not.toBe(origin);
    const retry = await executionIdInHash(page);
    expect(retry).toBeGreaterThan(origin);
    await eventually(() => attrOf(byTestId(other, 'retry-link'), 'data-execution')).toBe(String(retry));
    expect(await textOf(byTestId(other, 'execution-retries'))).toBe(`retried as #${retry}`);
    await other.close();
    expect(otherErrors).toEqual([]);
    await page.locator(`[data-testid="execution"][data-execution="${retry}"]`).waitFor();
    expect(await attrOf(byTestId(page, 'origin-link'), 'data-origin')).toBe(String(origin));
    expect(await textOf(byTestId(page, 'execution-origin'))).toBe(`retry of #${origin}`);
    expect(await textOf(byTestId(page, 'execution-trigger'))).toMatch(/^retry/);
    // The marker is still there: b fails again; a is not part of it.
    await eventually(() => statusOf(page, retry), 20_000).toBe('failed');
    expect(await dataElements(page.locator('[data-testid="exec-grid"] [data-testid="grid-row"]'))).toEqual(['b', 'c']);
    await eventually(async () => (await cellStatuses(page))['b-two']).toBe('failed');
    await screenshot(page, 'execution-retry');
    // The retry has no retries of its own.
    expect(await byTestId(page, 'execution-retries').count()).toBe(0);

    // Back to the origin through the link; it links forward to its retry (loaded, not live, this time).
    await byTestId(page, 'origin-link').click();
    await page.locator(`[data-testid="execution"][data-execution="${origin}"]`).waitFor();
    await eventually(() => textOf(byTestId(page, 'execution-retries'))).toBe(`retried as #${retry}`);
    await byTestId(page, 'retry-link').click();
    await page.locator(`[data-testid="execution"][data-execution="${retry}"]`).waitFor();
    expect(await attrOf(byTestId(page, 'origin-link'), 'data-origin')).toBe(String(origin));

    // Back to the origin again; make b pass; resume the same execution.
    await byTestId(page, 'origin-link').click();
    await page.locator(`[data-testid="execution"][data-execution="${origin}"]`).waitFor();
    rmSync(join(markers, 'fail-b'));
    await byTestId(page, 'control-resume-failed').click();
    // With the refusal, if any, in the failure message.
    await eventually(async () => [await statusOf(page, origin), await textOf(byTestId(page, 'control-error'))], 30_000).toEqual(['succeeded', null]);
    expect(await executionIdInHash(page)).toBe(origin);
    await byTestId(page, 'execution-resumed').waitFor();
    await eventually(() => cellStatuses(page)).toEqual({
      'a-one': 'succeeded',
      'a-two': 'succeeded',
      'a-three': 'succeeded',
      'b-one': 'succeeded',
      'b-two': 'succeeded',
      'b-three': 'succeeded',
      'c-one': 'succeeded',
      'c-two': 'succeeded',
      'c-three': 'succeeded',
    });
    // Earlier successes were kept, not run again; only b's failed step onward ran once more.
    const attempts = await cellAttempts(page);
    expect(attempts).toMatchObject({ 'a-one': 1, 'a-two': 1, 'a-three': 1, 'b-one': 1, 'b-two': 2, 'c-one': 1, 'c-two': 1, 'c-three': 1 });
    expect(await byTestId(page, 'control-bar').count()).toBe(0);
    await screenshot(page, 'execution-resumed');
  }, JOURNEY_TIMEOUT_MS);

  it('cancel (confirmed) kills a running command', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [SLEEPER] });
    const sleeping = (): boolean =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .some((l) => /^sleep 31\.7\b/.test(l.trim()));

    const id = await run(page, 'sleeper');
    await byTestId(page, 'grid-cell-a-long').and(page.locator('[data-status="running"]')).waitFor({ timeout: 20_000 });
    await eventually(sleeping).toBe(true);

    // Asking is not doing: "No" leaves it running.
    await byTestId(page, 'cancel-button').click();
    await byTestId(page, 'cancel-no').click();
    expect(await statusOf(page, id)).toBe('running');

    await byTestId(page, 'cancel-button').click();
    await byTestId(page, 'cancel-confirm').click();
    await eventually(() => statusOf(page, id), 15_000).toBe('cancelled');
    await eventually(() => attrOf(byTestId(page, 'grid-cell-a-long'), 'data-status')).toBe('cancelled');
    await eventually(sleeping).toBe(false);
    // Cancelled: it can be retried or resumed, not cancelled again.
    expect(await byTestId(page, 'cancel-button').count()).toBe(0);
    await byTestId(page, 'control-retry').waitFor();
    await screenshot(page, 'execution-cancelled');
  }, JOURNEY_TIMEOUT_MS);
});
