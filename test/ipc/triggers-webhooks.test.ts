import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, RequestOf, Responses, Result } from '../../src-shared/ipc/contract';
import { openEngineHost, type EngineHost } from '../../src-main/host/engine-host';
import { waitFor } from '../support/cli';
import { Receiver } from '../support/webhook-receiver';

const SECRET = 'settings-page-secret-0451';

describe('triggers and webhooks through the console channels (the Settings page), on the engine host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-hooks-'));
  let host: EngineHost;
  // A receiver that always fails.
  const receiver = new Receiver();
  receiver.answer = () => 500;
  const call = <C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> =>
    host.dispatch(channel, request) as Promise<Result<Responses[C]>>;
  const value = async <C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> => {
    const r = await call(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value;
  };

  beforeAll(async () => {
    await receiver.start();
    process.env.FLOWDECK_WEBHOOK_RETRY_MS = '20,20,20';
    process.env.FLOWDECK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
    host = await openEngineHost(join(dir, 'flowdeck.db'), () => undefined);
    delete process.env.FLOWDECK_WEBHOOK_RETRY_MS;
    delete process.env.FLOWDECK_SECRET_KEY;
    await value('flows/save', {
      source: 'id: ok\nname: ok\ntargets: { elements: [localhost] }\nparams: [{ name: v, default: "1" }]\nsteps:\n  - { id: s, run: "echo {{ params.v }}" }\n',
    });
  });
  afterAll(async () => {
    await host?.close('test over');
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('triggers/add answers the token once; triggers/list never carries it; triggers/delete removes it', async () => {
    const bad = await call('triggers/add', { flow: 'ok', allowParams: ['w'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'flow "ok" has no parameter "w" (declared: v)' } });
    expect(await call('triggers/add', { flow: 'missing' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const added = await value('triggers/add', { flow: 'ok', name: 'from the page', allowParams: ['v'] });
    expect(added.token).toMatch(/^fdt_/);
    const list = await value('triggers/list', {});
    expect(list).toEqual([{ ...added.trigger, lastUsedAt: null, lastExecutionId: null }]);
    expect(JSON.stringify(list)).not.toContain(added.token);
    expect(await value('triggers/delete', { id: added.trigger.id })).toEqual({ deleted: true });
    expect(await value('triggers/list', {})).toEqual([]);
    expect(await call('triggers/delete', { id: 'not-hex' as string })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('webhooks/add refuses what is not http(s); a failing receiver shows in webhooks/list while the run succeeds', async () => {
    expect(await call('webhooks/add', { url: 'ftp://127.0.0.1/x' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('webhooks/add', { url: receiver.url('/h'), events: [] })).toMatchObject({ ok: false });
    const hook = await value('webhooks/add', { url: receiver.url('/h'), events: ['finished'], secret: SECRET });
    expect(hook).toMatchObject({ signed: true, events: ['finished'], lastDelivery: null });
    const { id } = await value('runs/start', { flow: 'ok' });
    const shown = await waitFor('the delivery to be given up', async () => {
      const h = (await value('webhooks/list', {})).find((x) => x.id === hook.id);
      return h?.lastDelivery?.status === 'failed' ? h : undefined;
    });
    expect(shown.lastDelivery).toMatchObject({ executionId: id, event: 'finished', attempts: 4, httpStatus: 500, error: 'HTTP 500 Internal Server Error (gave up after 4 attempts)' });
    expect(receiver.got.length).toBe(4);
    expect((await value('executions/get', { id })).status).toBe('succeeded');
    expect(JSON.stringify(await value('webhooks/list', {}))).not.toContain(SECRET);
    expect(await value('webhooks/delete', { id: hook.id })).toEqual({ deleted: true });
    expect(await value('webhooks/delete', { id: hook.id })).toEqual({ deleted: false });
  });
});
