// A page that throws while it renders shows what broke and a way back, inside the frame (nav,
// top bar), never a blank window. The throw is provoked from outside the app: the test stands
// between the page and the console's WebSocket and answers one request with a value of the wrong
// shape, as a server of another version might.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

interface ClientMessage {
  id: number;
  channel: string;
}

/** Passes every message through, except the first `channel` request: that one gets `value`. */
async function answerOnceWith(page: Page, channel: string, value: unknown): Promise<{ answered: () => boolean }> {
  let done = false;
  await page.routeWebSocket(/\/ipc\?token=/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const text = typeof message === 'string' ? message : message.toString('utf8');
      const parsed = JSON.parse(text) as ClientMessage;
      if (!done && parsed.channel === channel) {
        done = true;
        ws.send(JSON.stringify({ id: parsed.id, result: { ok: true, value } }));
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  return { answered: () => done };
}

describe('e2e: a page that fails to render', () => {
  const console_ = useConsole();

  it('shows the error and the page it broke, keeps the frame working, and the way back leads to working pages', async () => {
    const { page, server } = await console_.open();
    const wrong = await answerOnceWith(page, 'inventory/import', { added: 'not a list' });
    // A new socket (the reload) goes through the stand-in; same-page hash changes would not.
    await page.goto(`${server.url}#/inventory`);
    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();

    await byTestId(page, 'import-toggle').click();
    await byTestId(page, 'import-text').fill('elements:\n  - { id: web1, host: localhost, transport: local }\n');
    await byTestId(page, 'import-button').click();

    const error = byTestId(page, 'page-error');
    await error.waitFor();
    expect(wrong.answered()).toBe(true);
    expect(await attrOf(error, 'data-page')).toBe('inventory');
    expect(await textOf(error.locator('h1'))).toBe('The Inventory page could not be shown');
    expect(await textOf(byTestId(page, 'page-error-message'))).toMatch(/undefined|length/);
    // The frame around the page is still there.
    expect(await byTestId(page, 'nav').isVisible()).toBe(true);
    expect(await attrOf(byTestId(page, 'connection-state'), 'data-state')).toBe('open');
    await screenshot(page, 'page-error');

    // The way back: another page, which works...
    await byTestId(page, 'page-error-leave').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/executions');
    await byTestId(page, 'executions-table').waitFor();
    expect(await byTestId(page, 'page-error').count()).toBe(0);

    // ...and the page that broke works again.
    await byTestId(page, 'nav-inventory').click();
    await byTestId(page, 'inventory-table').waitFor();
    expect(await byTestId(page, 'page-error').count()).toBe(0);

    // Reloading from a broken page starts it afresh too.
    await answerOnceWith(page, 'credentials/list', [null]);
    await page.goto(`${server.url}#/settings`);
    await page.reload();
    await eventually(() => attrOf(byTestId(page, 'page-error'), 'data-page')).toBe('settings');
    await byTestId(page, 'page-error-reload').click();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await byTestId(page, 'limits').waitFor();
    expect(await byTestId(page, 'page-error').count()).toBe(0);
  });
});
