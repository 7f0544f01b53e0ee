// A day/time schedule created in the Schedules page, its next runs seen,
// edited, disabled, and the change found by `flowdeck schedule list --json` run as its own
// process on the same database. Also: problems at their field, the flow editor's panel, delete.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { formatInZone } from '../../src-renderer/features/schedules/zones';
import { byTestId, eventually, screenshot, textOf, useConsole, type ConsoleServer } from './support/console';

const flow = (id: string): string => `id: ${id}\nname: ${id}\ntargets: { elements: [localhost] }\nparams: [{ name: reason, default: manual }]\nsteps:\n  - { id: s, run: 'true' }\n`;

async function cliSchedules(server: ConsoleServer): Promise<ScheduleView[]> {
  const r = await server.cli(['--db', server.db, 'schedule', 'list', '--json']);
  expect(r.code, `schedule list --json failed: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as ScheduleView[];
}

/** The preview's next runs: epoch ms and the text shown for each. */
async function previewRuns(page: Page): Promise<Array<{ at: number; text: string }>> {
  return page
    .locator('[data-testid="schedule-preview-runs-item"]')
    .evaluateAll((els) => els.map((e) => ({ at: Number(e.getAttribute('data-at')), text: e.textContent ?? '' })));
}

describe('e2e: schedules', () => {
  const console_ = useConsole();

  it('creates a day/time schedule, sees its next runs, edits it, disables it, and the CLI lists the change', async () => {
    const { page, server } = await console_.open({ flows: [flow('nightly'), flow('other')] });
    await byTestId(page, 'nav-schedules').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/schedules');
    await eventually(() => textOf(byTestId(page, 'schedule-count'))).toBe('0 schedules, 0 enabled');

    await byTestId(page, 'schedule-new').click();
    const form = byTestId(page, 'schedule-form');
    await form.waitFor();
    await byTestId(page, 'schedule-flow').selectOption('nightly');
    await byTestId(page, 'schedule-name').fill('vacuum');
    // The form starts on weekdays: keep Monday and Wednesday.
    for (const d of ['tue', 'thu', 'fri']) await byTestId(page, `schedule-day-${d}`).uncheck();
    await byTestId(page, 'schedule-at').fill('02:30');

    // A zone the runtime does not know is named at the zone field; nothing can be saved.
    await byTestId(page, 'schedule-timezone').fill('Mars/Olympus');
    await eventually(() => textOf(byTestId(page, 'schedule-timezone-error'))).toBe('unknown time zone "Mars/Olympus"');
    expect(await byTestId(page, 'schedule-save').isDisabled()).toBe(true);
    await byTestId(page, 'schedule-timezone').fill('Europe/Berlin');
    await eventually(() => byTestId(page, 'schedule-timezone-error').count()).toBe(0);

    // The words and the next five runs, each on Monday or Wednesday at 02:30 Berlin time.
    await eventually(() => textOf(byTestId(page, 'schedule-preview-description'))).toMatch(/02:30/);
    await eventually(() => previewRuns(page).then((r) => r.length)).toBe(5);
    const runs = await previewRuns(page);
    // Each run also on this browser's clock, date included, unless that reads the same.
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    for (const r of runs) {
      const here = formatInZone(r.at, browserZone);
      expect(r.text).toBe(here === formatInZone(r.at, 'Europe/Berlin') ? here : `${formatInZone(r.at, 'Europe/Berlin')}local ${here}`);
      expect(formatInZone(r.at, 'Europe/Berlin')).toMatch(/^(Mon|Wed) \d{4}-\d\d-\d\d 02:30 GMT\+[12]$/);
    }
    expect(runs.map((r) => r.at)).toEqual([...runs.map((r) => r.at)].sort((a, b) => a - b));
    expect(runs[0]?.at).toBeGreaterThan(Date.now());

    // A cron the server cannot read: the problem shows at the cron field.
    await byTestId(page, 'schedule-kind-cron').check();
    await byTestId(page, 'schedule-cron').fill('every tuesday');
    await eventually(() => textOf(byTestId(page, 'schedule-cron-error'))).toMatch(/\S/);
    expect(await byTestId(page, 'schedule-save').isDisabled()).toBe(true);
    await byTestId(page, 'schedule-kind-days').check();
    await eventually(() => previewRuns(page).then((r) => r.length)).toBe(5);

    // Params for the scheduled run, and a missed-run policy with its window.
    const keys = page.locator('[data-testid="schedule-params-key"]');
    await keys.first().fill('reason');
    await page.locator('[data-testid="schedule-params-value"]').first().fill('scheduled');
    await byTestId(page, 'schedule-missed').selectOption('run-once');
    await byTestId(page, 'schedule-missed-window').fill('90');
    await screenshot(page, 'schedules-form');
    await byTestId(page, 'schedule-save').click();

    const row = page.locator('[data-testid="schedule-row"]');
    await eventually(() => row.count()).toBe(1);
    await eventually(() => textOf(byTestId(page, 'schedule-count'))).toBe('1 schedule, 1 enabled');
    expect(await row.locator('[data-testid="schedule-row-name"]').textContent()).toBe('vacuum');
    expect(await row.locator('[data-testid="schedule-row-description"]').textContent()).toMatch(/02:30/);
    await eventually(() => row.locator('[data-testid="schedule-row-next-item"]').count()).toBe(3);

    let listed = await cliSchedules(server);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      flow: 'nightly',
      name: 'vacuum',
      when: { days: ['mon', 'wed'], at: '02:30' },
      timezone: 'Europe/Berlin',
      params: { reason: 'scheduled' },
      enabled: true,
      overlap: 'skip',
      missed: 'run-once',
      missedWindowSeconds: 5400,
    });
    const id = listed[0]?.id ?? 0;

    // Edit: Friday too, a quarter past three.
    await row.locator('[data-testid="schedule-row-edit"]').click();
    await eventually(() => byTestId(page, 'schedule-day-mon').isChecked()).toBe(true);
    expect(await byTestId(page, 'schedule-at').inputValue()).toBe('02:30');
    expect(await byTestId(page, 'schedule-timezone').inputValue()).toBe('Europe/Berlin');
    await byTestId(page, 'schedule-day-fri').check();
    await byTestId(page, 'schedule-at').fill('03:15');
    await eventually(async () => (await previewRuns(page)).map((r) => formatInZone(r.at, 'Europe/Berlin').slice(0, 3))).toContain('Fri');
    await byTestId(page, 'schedule-save').click();
    await eventually(() => textOf(row.locator('[data-testid="schedule-row-description"]'))).toMatch(/03:15/);

    // Disable it from the list.
    await row.locator('[data-testid="schedule-row-enabled"]').uncheck();
    await eventually(() => row.getAttribute('data-enabled')).toBe('false');
    await eventually(() => textOf(byTestId(page, 'schedule-count'))).toBe('1 schedule, 0 enabled');
    await screenshot(page, 'schedules', { docs: true });

    listed = await cliSchedules(server);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, when: { days: ['mon', 'wed', 'fri'], at: '03:15' }, enabled: false, params: { reason: 'scheduled' }, nextRuns: [] });

    // The flow editor's panel: this flow's schedules only, and a cron schedule added there.
    await page.goto(`${server.url}#/flows/other`);
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await byTestId(page, 'tab-schedules').click();
    const panel = byTestId(page, 'schedules-panel');
    await panel.waitFor();
    await eventually(() => textOf(panel.locator('[data-testid="table-empty"]'))).toMatch(/No schedules for this flow/);
    await panel.locator('[data-testid="schedule-new"]').click();
    expect(await byTestId(page, 'schedule-flow').count()).toBe(0);
    await byTestId(page, 'schedule-kind-cron').check();
    await byTestId(page, 'schedule-cron').fill('*/15 * * * *');
    await byTestId(page, 'schedule-timezone-utc').click();
    await eventually(() => previewRuns(page).then((r) => r.map((x) => (x.at / 60_000) % 15))).toEqual([0, 0, 0, 0, 0]);
    await byTestId(page, 'schedule-save').click();
    await eventually(() => panel.locator('[data-testid="schedule-row"]').count()).toBe(1);
    await screenshot(page, 'flow-schedules-panel');

    listed = await cliSchedules(server);
    expect(listed.map((s) => [s.flow, s.cron, s.timezone])).toEqual(expect.arrayContaining([['other', '*/15 * * * *', 'UTC']]));

    // Delete, after a confirmation, from the Schedules page.
    await byTestId(page, 'nav-schedules').click();
    await eventually(() => row.count()).toBe(2);
    const other = page.locator('[data-testid="schedule-row"]', { has: page.locator('a', { hasText: 'other' }) });
    await other.locator('[data-testid="schedule-row-delete"]').click();
    await other.locator('[data-testid="schedule-row-delete-keep"]').click();
    expect(await row.count()).toBe(2);
    await other.locator('[data-testid="schedule-row-delete"]').click();
    await other.locator('[data-testid="schedule-row-delete-confirm"]').click();
    await eventually(() => row.count()).toBe(1);
    listed = await cliSchedules(server);
    expect(listed.map((s) => s.id)).toEqual([id]);
  });
});
