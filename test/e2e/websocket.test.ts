// Malformed requests over the console's WebSocket get typed errors and
// break nothing; a WebSocket without the token is refused.
import { WebSocket as NodeWebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { byTestId, dataElements, eventually, screenshot, textOf, useConsole } from './support/console';

interface Reply {
  id: number | null;
  result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
}

/** What a second WebSocket of the page's own origin gets for each message it sends, in order. */
interface Probe {
  opened: boolean;
  replies: Reply[];
  stillOpen: boolean;
}

/** Opens a WebSocket from node (no browser) and reports the HTTP status of a refused upgrade. */
function nodeUpgrade(url: string, origin: string): Promise<{ opened: boolean; status: number | null }> {
  return new Promise((done) => {
    const ws = new NodeWebSocket(url, { origin });
    ws.on('open', () => {
      ws.close();
      done({ opened: true, status: null });
    });
    ws.on('unexpected-response', (_req, res) => {
      done({ opened: false, status: res.statusCode ?? null });
      res.resume();
    });
    ws.on('error', () => done({ opened: false, status: null }));
  });
}

describe('e2e: the console WebSocket', () => {
  const console_ = useConsole();

  it('journey 7: garbage and unknown channels get typed errors, the console keeps working, no token means no socket', async () => {
    const { page, server } = await console_.open({
      inventory: 'elements:\n  - { id: web1, name: web1, host: localhost, transport: local, groups: [web] }\n',
    });

    const probe = await page.evaluate(async (): Promise<Probe> => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const ws = new WebSocket(`ws://${location.host}/ipc?token=${encodeURIComponent(token)}`);
      const replies: Reply[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error('the second WebSocket did not open'));
      });
      const sent = [
        'this is not json',
        '[1, 2, 3]',
        JSON.stringify({ channel: 'flows/list', request: {} }),
        JSON.stringify({ id: 1, channel: 'no/such/channel', request: {} }),
        JSON.stringify({ id: 2, channel: 'flows/list', request: { extra: true } }),
        JSON.stringify({ id: 3, channel: 'inventory/import', request: { fileName: '', text: 5 } }),
        new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
        JSON.stringify({ id: 4, channel: 'inventory/import', request: { fileName: 'x.yaml', text: 'elements: [ {' } }),
        JSON.stringify({ id: 5, channel: 'inventory/list', request: {} }),
      ];
      const all = new Promise<void>((resolve) => {
        ws.onmessage = (ev: MessageEvent<string>) => {
          const msg = JSON.parse(ev.data) as Reply | { event: string };
          if ('event' in msg) return;
          replies.push(msg);
          if (replies.length === sent.length) resolve();
        };
      });
      // One at a time: requests run concurrently on the server, so answers could overtake each other.
      for (const m of sent) {
        const before = replies.length;
        ws.send(m);
        while (replies.length === before) await new Promise((r) => setTimeout(r, 10));
      }
      await all;
      const stillOpen = ws.readyState === WebSocket.OPEN;
      ws.close();
      return { opened: true, replies, stillOpen };
    });

    expect(probe.stillOpen).toBe(true);
    const [notJson, notObject, noId, unknown, extraField, badFields, binary, badInventory, list] = probe.replies;
    const failed = (r: Reply | undefined) => {
      expect(r?.result.ok).toBe(false);
      return r?.result.ok === false ? r.result.error : { code: '', message: '' };
    };
    expect(notJson?.id).toBeNull();
    expect(failed(notJson)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/not JSON/) });
    expect(failed(notObject)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/not a JSON object/) });
    expect(failed(noId)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/"id" must be a whole number/) });
    expect(unknown?.id).toBe(1);
    expect(failed(unknown)).toEqual({ code: 'invalid-input', message: 'unknown channel "no/such/channel"' });
    expect(extraField?.id).toBe(2);
    expect(failed(extraField)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^flows\/list: /) });
    expect(badFields?.id).toBe(3);
    expect(failed(badFields)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^inventory\/import: /) });
    expect(binary?.id).toBeNull();
    expect(failed(binary)).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/binary messages are not accepted/) });
    expect(badInventory?.id).toBe(4);
    expect(badInventory?.result).toMatchObject({ ok: false, error: { code: 'invalid-yaml', location: { file: 'x.yaml', line: 1 } } });
    // Every error is typed: a code and a message, never a stack.
    for (const r of probe.replies.slice(0, 8)) expect(JSON.stringify(r)).not.toMatch(/\n\s+at /);
    // After all that, a good request on the same socket is answered.
    expect(list?.id).toBe(5);
    expect(list?.result.ok).toBe(true);

    // Without the token, or with a wrong one, no socket opens.
    const refused = await page.evaluate(async () => {
      const tryOpen = (url: string) =>
        new Promise<{ opened: boolean; code: number }>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve({ opened: true, code: 0 });
          };
          ws.onclose = (ev) => resolve({ opened: false, code: ev.code });
        });
      return {
        none: await tryOpen(`ws://${location.host}/ipc`),
        wrong: await tryOpen(`ws://${location.host}/ipc?token=not-the-token`),
      };
    });
    expect(refused.none).toEqual({ opened: false, code: 1006 });
    expect(refused.wrong).toEqual({ opened: false, code: 1006 });
    // The same seen from outside the browser: the upgrade is answered 401; the page itself too.
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await nodeUpgrade(`ws://127.0.0.1:${server.port}/ipc`, origin)).toEqual({ opened: false, status: 401 });
    expect(await nodeUpgrade(`ws://127.0.0.1:${server.port}/ipc?token=${server.token}`, 'http://evil.example')).toEqual({ opened: false, status: 403 });
    expect(await nodeUpgrade(`ws://127.0.0.1:${server.port}/ipc?token=${server.token}`, origin)).toEqual({ opened: true, status: null });
    expect((await fetch(`${origin}/`)).status).toBe(401);

    // The console itself never noticed: still connected, no error banner, every page works.
    expect(await textOf(page.locator('[data-testid="connection-state"]'))).toMatch(/connected/);
    expect(await page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('open');
    expect(await page.locator('[data-testid="error-banner-item"]').count()).toBe(0);

    await byTestId(page, 'nav-inventory').click();
    await eventually(() => dataElements(page.locator('[data-testid="inventory-row"]'))).toEqual(['localhost', 'web1']);
    await byTestId(page, 'import-toggle').click();
    await byTestId(page, 'import-text').fill('elements:\n  - { id: web2, name: web2, host: localhost, transport: local, groups: [web] }\n');
    await byTestId(page, 'import-button').click();
    await eventually(() => dataElements(page.locator('[data-testid="inventory-row"]'))).toEqual(['localhost', 'web1', 'web2']);

    await byTestId(page, 'nav-flows').click();
    await byTestId(page, 'flows-table').waitFor();
    await byTestId(page, 'nav-executions').click();
    await eventually(() => textOf(byTestId(page, 'executions-count'))).toMatch(/^0\b/);
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'credentials').waitFor();
    await byTestId(page, 'known-hosts').waitFor();
    expect(await page.locator('[data-testid="error-banner-item"]').count()).toBe(0);
    await screenshot(page, 'settings', { docs: true });
  });
});
