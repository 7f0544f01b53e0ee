// Settings: HTTP triggers (added from the page, token shown once, used over HTTP, last use shown)
// and webhooks (added with a secret, a failing receiver's delivery shown with its error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../support/serve-process';
import { Receiver } from '../support/webhook-receiver';
import { byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const FLOW = `id: deploy
name: deploy
targets: { elements: [localhost] }
params:
  - { name: version, default: "0" }
steps:
  - { id: s1, run: "echo deploying {{ params.version }}" }
`;

const SECRET = 'page-typed-secret-7731';

describe('e2e: settings, HTTP triggers and webhooks', () => {
  const console_ = useConsole();
  // A receiver that always fails.
  const receiver = new Receiver();
  receiver.answer = () => 500;

  beforeAll(async () => {
    // Quick retries, so the given-up delivery shows within the test.
    process.env.FLOWDECK_WEBHOOK_RETRY_MS = '50,50,50';
    await receiver.start();
  });
  afterAll(async () => {
    delete process.env.FLOWDECK_WEBHOOK_RETRY_MS;
    await receiver.close();
  });

  it('adds a trigger (token shown once), a run it starts shows as its last use, a failing webhook shows its error; both are removed', async () => {
    const { page, server } = await console_.open({ flows: [FLOW] });
    await byTestId(page, 'nav-settings').click();
    const triggers = byTestId(page, 'triggers');
    await triggers.waitFor();
    await eventually(() => byTestId(triggers, 'table-empty').count()).toBe(1);

    // A trigger from the page: the token is shown once.
    await eventually(() => byTestId(page, 'trigger-flow').inputValue()).toBe('deploy');
    await byTestId(page, 'trigger-name').fill('from the page');
    await byTestId(page, 'trigger-allow').fill('version');
    await byTestId(page, 'trigger-add').click();
    await byTestId(page, 'trigger-created-token').waitFor();
    const token = (await textOf(byTestId(page, 'trigger-created-token'))) ?? '';
    expect(token).toMatch(/^fdt_/);
    const path = (await textOf(byTestId(page, 'trigger-created-path'))) ?? '';
    expect(path).toMatch(/^\/api\/triggers\/[0-9a-f]{16}$/);
    await eventually(() => byTestId(page, 'trigger-row').count()).toBe(1);
    expect(await textOf(byTestId(page, 'triggers-table'))).not.toContain(token);

    // A webhook with a secret, to a receiver that always fails.
    await byTestId(page, 'webhook-url').fill(receiver.url('/hook'));
    await byTestId(page, 'webhook-secret').fill(SECRET);
    await byTestId(page, 'webhook-event-approval').uncheck();
    await byTestId(page, 'webhook-add').click();
    await eventually(() => byTestId(page, 'webhook-row').count()).toBe(1);
    expect(await byTestId(page, 'webhook-secret').inputValue()).toBe('');

    // The token works over HTTP, from outside the page.
    const started = await httpCall(`http://127.0.0.1:${server.port}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ params: { version: '7' } }),
    });
    expect(started.status).toBe(202);
    const id = started.json.executionId as number;

    await eventually(async () => {
      await byTestId(page, 'webhooks-refresh').click();
      return byTestId(page, 'webhook-delivery-status').getAttribute('data-status');
    }, 20_000).toBe('failed');
    expect(await textOf(byTestId(page, 'webhook-delivery-error'))).toBe('HTTP 500 Internal Server Error (gave up after 4 attempts)');
    expect(receiver.got.length).toBe(4);

    // After a reload: the last use is there, the token is not, anywhere on the page.
    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await eventually(() => textOf(byTestId(page, 'trigger-last-used'))).toContain(`(#${id})`);
    await byTestId(page, 'webhooks').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-triggers-webhooks');
    const html = await page.content();
    expect(html).not.toContain(token);
    expect(html).not.toContain(SECRET);
    expect(await byTestId(page, 'trigger-created').count()).toBe(0);

    // The execution says what started it.
    await page.goto(`${server.url}#/executions/${id}`);
    await eventually(() => textOf(byTestId(page, 'execution-trigger'))).toContain('http');
    expect(await textOf(byTestId(page, 'execution-trigger-id'))).toBe(` · trigger ${path.split('/').pop() ?? ''}`);
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'triggers').waitFor();
    await eventually(() => byTestId(page, 'trigger-row').count()).toBe(1);

    await byTestId(page, 'trigger-remove').click();
    await byTestId(page, 'trigger-remove-confirm').click();
    await eventually(() => byTestId(page, 'trigger-row').count()).toBe(0);
    expect((await httpCall(`http://127.0.0.1:${server.port}${path}`, { headers: { Authorization: `Bearer ${token}` }, body: '{}' })).status).toBe(404);
    await byTestId(page, 'webhook-remove').click();
    await byTestId(page, 'webhook-remove-confirm').click();
    await eventually(() => byTestId(page, 'webhook-row').count()).toBe(0);
  });
});
