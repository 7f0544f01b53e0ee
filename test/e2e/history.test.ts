// Labels on executions and the history search (flow, status, element, label,
// time), with paging, in the executions list of the console.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: a, name: a, host: localhost, transport: local, groups: [app] }
  - { id: b, name: b, host: localhost, transport: local, groups: [app] }
`;

const DEPLOY = `id: deploy
name: Deploy
mode: parallel
targets: { elements: [a] }
steps:
  - id: ship
    run: echo shipped
`;

const BROKEN = `id: broken
name: Broken
mode: serial
targets: { elements: [b] }
steps:
  - id: check
    run: exit 1
`;

/** One request over a second WebSocket of the page's own console: a quick way to start runs. */
async function invoke<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const reply = await page.evaluate(
    async ({ channel, request }) => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const ws = new WebSocket(`ws://${location.host}/ipc?token=${encodeURIComponent(token)}`);
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error('the WebSocket did not open'));
      });
      const answer = new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => {
        ws.onmessage = (m) => {
          const msg = JSON.parse(String(m.data)) as { id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } } };
          if (msg.id === 1 && msg.result) resolve(msg.result);
        };
      });
      ws.send(JSON.stringify({ id: 1, channel, request }));
      const result = await answer;
      ws.close();
      return result;
    },
    { channel, request },
  );
  if (!reply.ok) throw new Error(`${channel}: ${reply.error?.message ?? 'failed'}`);
  return reply.value as T;
}

const start = async (page: Page, flow: string, labels: Record<string, string | string[]> = {}): Promise<number> =>
  (await invoke<{ id: number }>(page, 'runs/start', { flow, params: {}, labels })).id;

interface Row {
  id: number;
  flow: string;
  status: string;
}
const rows = (page: Page): Promise<Row[]> =>
  page
    .locator('[data-testid="execution-row"]')
    .evaluateAll((els) => els.map((e) => ({ id: Number(e.getAttribute('data-execution')), flow: e.getAttribute('data-flow') ?? '', status: e.getAttribute('data-status') ?? '' })));
const rowIds = async (page: Page): Promise<number[]> => (await rows(page)).map((r) => r.id);

/** Waits until every execution in the list has ended. */
async function allEnded(page: Page, count: number): Promise<void> {
  const list = async (): Promise<Array<{ status: string }>> => invoke(page, 'executions/list', { limit: 1000 });
  await eventually(async () => (await list()).filter((x) => !['queued', 'running'].includes(x.status)).length, 60_000).toBe(count);
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** A `datetime-local` value (to the second) in the local zone, which the browser shares. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// Whole journeys on a loaded two-core box: room for slow starts, never a speed assertion.
const JOURNEY_TIMEOUT_MS = 120_000;

describe('e2e: execution history', () => {
  const console_ = useConsole();

  it('labels given in the run dialog show as chips; the history is searched by label, status, element, flow and time', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [DEPLOY, BROKEN] });

    // Labels typed in the run dialog: a repeated key makes a list; a bad pair is refused before Start.
    await byTestId(page, 'nav-flows').click();
    await page.locator('[data-testid="flow-row"][data-flow="deploy"] [data-testid="flow-run"]').click();
    const dialog = byTestId(page, 'run-dialog');
    await dialog.locator('[data-testid="run-labels"]').fill('ticket');
    await eventually(() => textOf(dialog.locator('[data-testid="run-labels-problem"]'))).toMatch(/key=value/);
    await dialog.locator('[data-testid="run-labels"]').fill('ticket=OPS-12, env=prod env=eu');
    await eventually(() => dialog.locator('[data-testid="run-labels-preview"] [data-testid="run-label-chip"]').allTextContents()).toEqual(['env=eu', 'env=prod', 'ticket=OPS-12']);
    await screenshot(page, 'run-dialog-labels');
    await dialog.locator('[data-testid="start-button"]').click();
    await eventually(() => page.evaluate(() => location.hash)).toMatch(/^#\/executions\/\d+$/);
    const labelled = Number((await page.evaluate(() => location.hash)).split('/').pop());
    const chips = page.locator('[data-testid="execution-labels"] [data-testid="label-chip"]');
    await eventually(() => chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-label')))).toEqual(['env=eu', 'env=prod', 'ticket=OPS-12']);

    // More history: another ticket on the same flow, and a failing run on b for OPS-12.
    const other = await start(page, 'deploy', { ticket: 'OPS-13' });
    const failing = await start(page, 'broken', { ticket: 'OPS-12' });
    await allEnded(page, 3);

    await byTestId(page, 'nav-executions').click();
    await eventually(() => rowIds(page)).toEqual([failing, other, labelled]);
    expect(
      await page
        .locator(`[data-testid="execution-row"][data-execution="${labelled}"] [data-testid="label-chip"]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))),
    ).toEqual(['env=eu', 'env=prod', 'ticket=OPS-12']);

    // By label: key=value, then key alone.
    await byTestId(page, 'filter-label').fill('ticket=OPS-12');
    await eventually(() => rowIds(page)).toEqual([failing, labelled]);
    await screenshot(page, 'executions-search-label', { docs: true });
    await byTestId(page, 'filter-label').fill('env');
    await eventually(() => rowIds(page)).toEqual([labelled]);
    await byTestId(page, 'filter-label').fill('=x');
    await byTestId(page, 'filters-problem').waitFor();
    await byTestId(page, 'filters-clear').click();
    await eventually(() => rowIds(page)).toEqual([failing, other, labelled]);
    expect(await byTestId(page, 'filter-label').inputValue()).toBe('');

    // A chip in a row searches for its label.
    await page.locator(`[data-testid="execution-row"][data-execution="${other}"] [data-testid="label-chip"][data-label="ticket=OPS-13"]`).click();
    await eventually(() => rowIds(page)).toEqual([other]);
    expect(await page.evaluate(() => location.hash)).toBe('#/executions');
    expect(await byTestId(page, 'filter-label').inputValue()).toBe('ticket=OPS-13');
    await byTestId(page, 'filters-clear').click();

    // By status, element and flow.
    await byTestId(page, 'filter-status').selectOption('failed');
    await eventually(() => rows(page)).toEqual([{ id: failing, flow: 'broken', status: 'failed' }]);
    await byTestId(page, 'filter-status').selectOption('');
    await byTestId(page, 'filter-element').fill('a');
    await eventually(() => rowIds(page)).toEqual([other, labelled]);
    await byTestId(page, 'filter-element').fill('b');
    await eventually(() => rowIds(page)).toEqual([failing]);
    await byTestId(page, 'filter-element').fill('');
    await byTestId(page, 'filter-flow').selectOption('deploy');
    await eventually(() => rowIds(page)).toEqual([other, labelled]);
    await byTestId(page, 'filter-flow').selectOption('');
    await eventually(() => rowIds(page)).toEqual([failing, other, labelled]);

    // By time: a boundary on a whole second after these three, then one more run after it.
    const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await eventually(() => Date.now() > boundary + 100, 5_000).toBe(true);
    const later = await start(page, 'deploy', { ticket: 'OPS-14' });
    await allEnded(page, 4);
    await eventually(() => rowIds(page)).toEqual([later, failing, other, labelled]);
    await byTestId(page, 'filter-since').fill(localInput(boundary));
    await eventually(() => rowIds(page)).toEqual([later]);
    await byTestId(page, 'filter-since').fill('');
    await byTestId(page, 'filter-until').fill(localInput(boundary));
    await eventually(() => rowIds(page)).toEqual([failing, other, labelled]);
    // Combined with another filter, and a range that cannot hold anything is said so.
    await byTestId(page, 'filter-label').fill('ticket=OPS-12');
    await eventually(() => rowIds(page)).toEqual([failing, labelled]);
    await byTestId(page, 'filter-since').fill(localInput(boundary + 60_000));
    await eventually(() => textOf(byTestId(page, 'filters-problem'))).toMatch(/since.*before.*until/);
    await screenshot(page, 'executions-search-time');
  }, JOURNEY_TIMEOUT_MS);

  it('pages back through the history with "Older" and forward with "Newer"; live runs join the newest page only', async () => {
    const { page } = await console_.open({ inventory: INVENTORY, flows: [DEPLOY] });
    const ids: number[] = [];
    for (let i = 0; i < 13; i++) ids.push(await start(page, 'deploy', { batch: String(i % 2) }));
    await allEnded(page, 13);
    const newestFirst = [...ids].sort((x, y) => y - x);

    await byTestId(page, 'nav-executions').click();
    await byTestId(page, 'page-size').selectOption('10');
    await eventually(() => rowIds(page)).toEqual(newestFirst.slice(0, 10));
    expect(await attrOf(byTestId(page, 'pager'), 'data-page')).toBe('1');
    expect(await byTestId(page, 'page-newer').isDisabled()).toBe(true);

    await byTestId(page, 'page-older').click();
    await eventually(() => rowIds(page)).toEqual(newestFirst.slice(10));
    expect(await attrOf(byTestId(page, 'pager'), 'data-page')).toBe('2');
    // A short page is the last one.
    expect(await byTestId(page, 'page-older').isDisabled()).toBe(true);
    await screenshot(page, 'executions-page-2');

    // A run started now does not land on an older page...
    const fresh = await start(page, 'deploy');
    await allEnded(page, 14);
    expect(await rowIds(page)).toEqual(newestFirst.slice(10));

    // ...but is first on the newest one.
    await byTestId(page, 'page-newer').click();
    await eventually(() => rowIds(page)).toEqual([fresh, ...newestFirst.slice(0, 9)]);
    expect(await attrOf(byTestId(page, 'pager'), 'data-page')).toBe('1');

    // Another search starts again from its newest page.
    await byTestId(page, 'page-older').click();
    await eventually(() => attrOf(byTestId(page, 'pager'), 'data-page')).toBe('2');
    await byTestId(page, 'filter-label').fill('batch=1');
    const batch1 = newestFirst.filter((id) => ids.indexOf(id) % 2 === 1);
    await eventually(() => rowIds(page)).toEqual(batch1);
    expect(await attrOf(byTestId(page, 'pager'), 'data-page')).toBe('1');
    expect(await byTestId(page, 'page-older').isDisabled()).toBe(true);
  }, JOURNEY_TIMEOUT_MS);
});
