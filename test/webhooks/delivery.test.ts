import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriggerCreated } from '../../src-shared/domain/triggers';
import type { WebhookView } from '../../src-shared/domain/webhooks';
import { Receiver, type Received } from '../support/webhook-receiver';
import { collect, waitFor, Workspace } from '../support/cli';
import { httpCall, startServe } from '../support/serve-process';
import { TestClient } from '../ipc/ws-client';

const flow = (id: string, command: string, extra = ''): string =>
  `id: ${id}\nname: ${id}\ntargets: { elements: [localhost] }\n${extra}steps:\n  - { id: s1, run: ${JSON.stringify(command)} }\n`;

const APPROVAL_FLOW = `id: gated
name: gated
targets: { elements: [localhost] }
steps:
  - { id: ask, approval: "Go on?" }
  - { id: s1, run: "echo after" }
`;

const SECRET = 'a webhook secret that must never show';

describe('webhooks: a JSON summary POSTed by the process that runs the execution', () => {
  const ws = new Workspace();
  const rx = new Receiver();
  const webhooks = async (): Promise<WebhookView[]> => ws.json<WebhookView[]>(['webhook', 'list', '--json']);
  const hookOn = async (path: string): Promise<WebhookView> => (await webhooks()).find((h) => h.url === rx.url(path)) as WebhookView;

  beforeAll(async () => {
    await rx.start();
    ws.env = { FLOWDECK_WEBHOOK_RETRY_MS: '200,400,800' };
    const files = [
      ws.file('ok.yaml', flow('ok', 'echo fine')),
      ws.file('bad.yaml', flow('bad', 'echo broken >&2; exit 3')),
      ws.file('gated.yaml', APPROVAL_FLOW),
      ws.file('slow.yaml', flow('slow', 'sleep 1; echo done')),
    ];
    expect((await ws.run(['flow', 'import', ...files])).code).toBe(0);
  });
  afterAll(async () => {
    await rx.close();
    ws.dispose();
  });

  it('webhook add checks the URL and the events, keeps the secret encrypted and never shows it', async () => {
    const notHttp = await ws.run(['webhook', 'add', 'file:///etc/passwd']);
    expect(notHttp.code).toBe(1);
    expect(notHttp.stderr).toBe('flowdeck: url: must be an http:// or https:// URL\n');
    const badEvent = await ws.run(['webhook', 'add', rx.url('/x'), '--events', 'finished,started']);
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toContain('"started" is not an event (events: finished, failed, approval)');
    const unset = await ws.run(['webhook', 'add', rx.url('/x'), '--secret-env', 'NO_SUCH_VAR']);
    expect(unset.stderr).toBe('flowdeck: --secret-env: the environment variable NO_SUCH_VAR is not set\n');
    expect(await webhooks()).toEqual([]);

    const added = await ws.run(['webhook', 'add', rx.url('/signed'), '--events', 'finished', '--secret-env', 'HOOK_SECRET'], { HOOK_SECRET: SECRET });
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^webhook \d+ added: http:\/\/127\.0\.0\.1:\d+\/signed on finished, signed\n$/);
    const list = await ws.run(['webhook', 'list']);
    const listJson = await ws.run(['webhook', 'list', '--json']);
    for (const text of [added.stdout, added.stderr, list.stdout, listJson.stdout]) expect(text).not.toContain(SECRET);
    expect(JSON.parse(listJson.stdout)).toEqual([
      { id: expect.any(Number), url: rx.url('/signed'), events: ['finished'], signed: true, createdAt: expect.any(Number), lastDelivery: null },
    ]);
  });

  it('a CLI run is announced once, after it ended, signed with HMAC-SHA256 of the body; the run exits as it would', async () => {
    expect((await ws.run(['webhook', 'add', rx.url('/failures'), '--events', 'failed'])).code).toBe(0);
    const ok = await ws.run(['run', 'ok', '--json', '--label', 'ticket=OPS-7']);
    expect(ok.code).toBe(0);
    const okId = (JSON.parse(ok.stdout) as { id: number }).id;
    // The CLI waited for its delivery before exiting.
    expect(rx.on('/signed').map((g) => g.payload.executionId)).toEqual([okId]);
    const [got] = rx.on('/signed') as [Received];
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-flowdeck-event']).toBe('finished');
    expect(got.headers['x-flowdeck-signature']).toBe('sha256=' + createHmac('sha256', SECRET).update(got.body).digest('hex'));
    expect(got.payload).toMatchObject({
      event: 'finished',
      executionId: okId,
      flow: 'ok',
      status: 'succeeded',
      trigger: 'cli',
      triggerId: null,
      failedElements: [],
      labels: { ticket: ['OPS-7'] },
      consoleUrl: null,
    });
    expect(got.payload.finishedAt).toBeGreaterThanOrEqual(got.payload.startedAt as number);
    expect(got.body).not.toContain(SECRET);

    const bad = await ws.run(['run', 'bad', '--json']);
    expect(bad.code).toBe(1);
    const badId = (JSON.parse(bad.stdout) as { id: number }).id;
    expect(rx.on('/signed').map((g) => g.payload.executionId)).toEqual([okId, badId]);
    // "failed" hears of the failure only; unsigned, no signature header.
    expect(rx.on('/failures').map((g) => g.payload.executionId)).toEqual([badId]);
    const [failure] = rx.on('/failures') as [Received];
    expect(failure.headers['x-flowdeck-signature']).toBeUndefined();
    expect(failure.payload).toMatchObject({ status: 'failed', failedElements: ['localhost'], error: expect.stringContaining('localhost') });
    expect((await hookOn('/signed')).lastDelivery).toMatchObject({ status: 'delivered', event: 'finished', executionId: badId, attempts: 1, httpStatus: 200, error: null });
    for (const path of ['/signed', '/failures']) expect((await ws.run(['webhook', 'rm', String((await hookOn(path)).id)])).code).toBe(0);
  });

  it('retries a failing receiver with growing waits until it answers, without touching the run', async () => {
    rx.answer = (path, nth) => (path === '/flaky' && nth <= 2 ? 500 : 200);
    const h = await ws.json<WebhookView>(['webhook', 'add', rx.url('/flaky'), '--json']);
    const r = await ws.run(['run', 'ok', '--json']);
    expect(r.code).toBe(0);
    const id = (JSON.parse(r.stdout) as { id: number }).id;
    const tries = rx.on('/flaky');
    expect(tries.map((t) => t.payload.executionId)).toEqual([id, id, id]);
    expect(new Set(tries.map((t) => t.headers['x-flowdeck-delivery'])).size).toBe(1);
    const gaps = tries.slice(1).map((t, i) => t.at - (tries[i] as Received).at);
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect((await hookOn('/flaky')).lastDelivery).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200, error: null });
    expect((await ws.json<{ status: string }>(['executions', 'show', String(id), '--json'])).status).toBe('succeeded');
    await ws.run(['webhook', 'rm', String(h.id)]);
  });

  it('a receiver that keeps failing is given up after the last retry, shown in webhook list, and the run still succeeds', async () => {
    rx.answer = (path) => (path === '/down' ? 503 : 200);
    const closed = await new Receiver().start();
    const refusedUrl = closed.url('/gone');
    await closed.close();
    const down = await ws.json<WebhookView>(['webhook', 'add', rx.url('/down'), '--json']);
    const refused = await ws.json<WebhookView>(['webhook', 'add', refusedUrl, '--json']);
    const r = await ws.run(['run', 'ok', '--json']);
    expect(r.code).toBe(0);
    expect(rx.on('/down')).toHaveLength(4);
    const hooks = await webhooks();
    expect(hooks.find((x) => x.id === down.id)?.lastDelivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      httpStatus: 503,
      error: 'HTTP 503 Service Unavailable (gave up after 4 attempts)',
    });
    expect(hooks.find((x) => x.id === refused.id)?.lastDelivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      httpStatus: null,
      error: 'connection failed: ECONNREFUSED (gave up after 4 attempts)',
    });
    const text = (await ws.run(['webhook', 'list'])).stdout;
    expect(text).toContain('failed: HTTP 503 Service Unavailable (gave up after 4 attempts)');
    await ws.run(['webhook', 'rm', String(down.id)]);
    await ws.run(['webhook', 'rm', String(refused.id)]);
  });

  it('a CLI run does not wait past its bound: a delivery still retrying is recorded as not delivered', async () => {
    rx.answer = (path) => (path === '/slow' ? 500 : 200);
    const h = await ws.json<WebhookView>(['webhook', 'add', rx.url('/slow'), '--json']);
    const r = await ws.run(['run', 'ok', '--json'], { FLOWDECK_WEBHOOK_RETRY_MS: '120000' });
    expect(r.code).toBe(0);
    expect(rx.on('/slow')).toHaveLength(1);
    expect((await hookOn('/slow')).lastDelivery).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'not delivered: the process sending it ended (1 attempt; last: HTTP 500 Internal Server Error)',
    });
    await ws.run(['webhook', 'rm', String(h.id)]);
  }, 40_000);

  it('approval and end of a run that waits: one POST each, in that order', async () => {
    rx.answer = () => 200;
    const h = await ws.json<WebhookView>(['webhook', 'add', rx.url('/gate'), '--events', 'approval,finished', '--json']);
    const child = ws.spawn(['run', 'gated', '--json']);
    const ended = collect(child);
    const asked = await waitFor('the approval webhook', () => rx.on('/gate')[0], 30_000);
    expect(asked.payload).toMatchObject({ event: 'approval', status: 'running', flow: 'gated' });
    expect(asked.payload.message).toContain('Go on?');
    expect((await ws.run(['approve', String(asked.payload.executionId)])).code).toBe(0);
    expect((await ended).code).toBe(0);
    expect(rx.on('/gate').map((g) => [g.payload.event, g.payload.status, g.payload.executionId])).toEqual([
      ['approval', 'running', asked.payload.executionId],
      ['finished', 'succeeded', asked.payload.executionId],
    ]);
    await ws.run(['webhook', 'rm', String(h.id)]);
  });

  it('serve announces the runs it starts (with the console link), and not a CLI run it only watches', async () => {
    const h = await ws.json<WebhookView>(['webhook', 'add', rx.url('/served'), '--events', 'finished', '--json']);
    const t = await ws.json<TriggerCreated>(['trigger', 'add', 'ok', '--json']);
    const serve = await startServe(ws);
    try {
      const started = await httpCall(`${serve.consoleOrigin}/api/triggers/${t.trigger.id}`, { headers: { Authorization: `Bearer ${t.token}` }, body: '{}' });
      expect(started.status).toBe(202);
      const id = started.json.executionId as number;
      const got = await waitFor('the webhook of the triggered run', () => rx.on('/served')[0], 30_000);
      expect(got.payload).toMatchObject({
        executionId: id,
        trigger: 'http',
        triggerId: t.trigger.id,
        status: 'succeeded',
        consoleUrl: `${serve.consoleOrigin}/#/executions/${id}`,
      });
      expect(got.payload.consoleUrl).not.toContain(serve.token);
      // A run in a terminal while serve watches it: the terminal's process announces it, once.
      const window = await TestClient.open(`ws://127.0.0.1:${new URL(serve.consoleOrigin).port}/ipc?token=${serve.token}`);
      // Long enough for serve's watcher (a few looks a second) to see it running.
      const cli = await ws.run(['run', 'slow', '--json']);
      const cliId = (JSON.parse(cli.stdout) as { id: number }).id;
      // Serve has seen that run end (its notice reached the window) ...
      await window.until(() => window.events.find((e) => e.event === 'notice' && (e.payload as { executionId: number }).executionId === cliId));
      window.ws.close();
      // ... and the next run it starts itself is announced after anything it would have sent for it.
      const next = await httpCall(`${serve.consoleOrigin}/api/triggers/${t.trigger.id}`, { headers: { Authorization: `Bearer ${t.token}` }, body: '{}' });
      const nextId = next.json.executionId as number;
      await waitFor('the webhook of the next triggered run', () => rx.on('/served').find((g) => g.payload.executionId === nextId), 30_000);
      expect(rx.on('/served').map((g) => g.payload.executionId)).toEqual([id, cliId, nextId]);
    } finally {
      await serve.stop();
    }
    await ws.run(['webhook', 'rm', String(h.id)]);
  });
});
