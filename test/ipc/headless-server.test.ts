import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, Responses } from '../../src-shared/ipc/contract';
import { CONSOLE_CSP, startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { fakeRenderer, trueSteps } from './harness';
import { httpGet, TestClient } from './ws-client';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-src 'none'";

describe('the headless console server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-headless-'));
  const renderer = fakeRenderer(dir);
  let hc: HeadlessConsole;
  let ipc: string;

  beforeAll(async () => {
    symlinkSync(join(dir, 'secret.txt'), join(renderer, 'assets', 'escape.txt'));
    hc = await startHeadless({ dbPath: join(dir, 'db', 'flowdeck.db'), rendererDir: renderer, port: 0 });
    ipc = `ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`;
  });
  afterAll(async () => {
    await hc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and prints its URL with a 32-byte base64url token', () => {
    expect(hc.url).toBe(`http://127.0.0.1:${hc.port}/?token=${hc.token}`);
    expect(hc.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(hc.token, 'base64url')).toHaveLength(32);
    expect(CONSOLE_CSP).toBe(EXPECTED_CSP);
  });

  describe('HTTP', () => {
    it('serves the page only with the token, with the CSP and no caching', async () => {
      const page = await httpGet(hc.port, `/?token=${hc.token}`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toBe(EXPECTED_CSP);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toContain('<title>Flowdeck</title>');
      expect((await httpGet(hc.port, `/index.html?token=${hc.token}`)).status).toBe(200);
      for (const path of ['/', '/?token=', `/?token=${hc.token.slice(1)}`, '/?token=x', '/index.html']) {
        const r = await httpGet(hc.port, path);
        expect(r.status, path).toBe(401);
        expect(r.body).not.toContain('<title>');
      }
      const head = await httpGet(hc.port, `/?token=${hc.token}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    });

    it('serves assets without a token, with their content types', async () => {
      const js = await httpGet(hc.port, '/assets/app.js');
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['content-security-policy']).toBe(EXPECTED_CSP);
      expect(js.body).toContain('flowdeck');
      expect((await httpGet(hc.port, '/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
      expect((await httpGet(hc.port, '/assets/missing.js')).status).toBe(404);
    });

    it('refuses path traversal, encoded or not, and symlinks out of the renderer', async () => {
      for (const path of [
        '/../secret.txt',
        '/assets/../../secret.txt',
        '/assets/..%2f..%2fsecret.txt',
        '/assets/%2e%2e/%2e%2e/secret.txt',
        '/%2e%2e%2fsecret.txt',
        '/assets/..%5c..%5csecret.txt',
        '/assets/%00app.js',
        '/assets/%E0%A4%A',
        '/assets/escape.txt',
        '/assets/',
        '/assets',
      ]) {
        const r = await httpGet(hc.port, path);
        expect([400, 404], path).toContain(r.status);
        expect(r.body, path).not.toContain('outside the renderer');
      }
    });

    it('refuses a foreign Host (DNS rebinding), other methods, and plain GETs of the WebSocket path', async () => {
      expect((await httpGet(hc.port, `/?token=${hc.token}`, { host: `evil.example:${hc.port}` })).status).toBe(403);
      expect((await httpGet(hc.port, '/assets/app.js', { host: 'evil.example' })).status).toBe(403);
      expect((await httpGet(hc.port, `/?token=${hc.token}`, { host: `localhost:${hc.port}` })).status).toBe(200);
      expect((await httpGet(hc.port, `/?token=${hc.token}`, { method: 'POST' })).status).toBe(405);
      expect((await httpGet(hc.port, `/ipc?token=${hc.token}`)).status).toBe(426);
    });
  });

  describe('WebSocket /ipc', () => {
    it('refuses an upgrade without the token, with a wrong one, or from a foreign origin', async () => {
      const base = `ws://127.0.0.1:${hc.port}/ipc`;
      expect(await TestClient.refusal(base)).toBe(401);
      expect(await TestClient.refusal(`${base}?token=`)).toBe(401);
      expect(await TestClient.refusal(`${base}?token=${hc.token}x`)).toBe(401);
      expect(await TestClient.refusal(`${base}?token=${'A'.repeat(43)}`)).toBe(401);
      expect(await TestClient.refusal(ipc, { origin: 'https://evil.example' })).toBe(403);
      expect(await TestClient.refusal(ipc, { origin: `http://evil.example:${hc.port}` })).toBe(403);
      expect(await TestClient.refusal(ipc, { origin: 'null' })).toBe(403);
      expect(await TestClient.refusal(`ws://127.0.0.1:${hc.port}/other?token=${hc.token}`)).toBe(404);
      // The page's own origin is welcome.
      const own = await TestClient.open(ipc, { origin: `http://127.0.0.1:${hc.port}` });
      await own.close();
    });

    it('answers requests by id; a malformed message gets a typed error and the connection keeps answering', async () => {
      const c = await TestClient.open(ipc);
      try {
        const list = await c.value<Responses['inventory/list']>('inventory/list', {});
        expect(list.elements.map((e) => e.id)).toEqual(['localhost']);

        c.sendRaw('{ this is not json');
        const bad = await c.until(() => c.replies.find((r) => r.id === null));
        expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/not JSON/) } });

        c.sendRaw(JSON.stringify({ channel: 'flows/list', request: {} }));
        c.sendRaw(JSON.stringify([1, 2, 3]));
        c.sendRaw(Buffer.from('binary'), true);
        await c.until(() => (c.replies.filter((r) => r.id === null).length >= 4 ? true : undefined));
        for (const r of c.replies.filter((x) => x.id === null)) expect(r.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

        // An id but no channel: the error says which request it was.
        c.sendRaw(JSON.stringify({ id: 777, request: {} }));
        const noChannel = await c.until(() => c.replies.find((r) => r.id === 777));
        expect(noChannel.result).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/"channel" must be a string/) } });

        expect(await c.call('no/such', {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'unknown channel "no/such"' } });
        expect(await c.call('executions/get', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^executions\/get: id: /) } });
        expect(await c.call('flows/get', { id: 'missing' })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown flow "missing"' } });
        // Still alive and well.
        expect(await c.value('flows/list', {})).toEqual([]);
      } finally {
        await c.close();
      }
    });

    it('requests run concurrently and each answer carries its own id', async () => {
      const c = await TestClient.open(ipc);
      try {
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? c.call('flows/list', {}) : c.call('knownHosts/list', {}))));
        expect(answers.every((a) => a.ok)).toBe(true);
      } finally {
        await c.close();
      }
    });

    it('pushes run events batched: a 50-step flow gives far fewer stepRuns/changed than 100', async () => {
      const c = await TestClient.open(ipc);
      const other = await TestClient.open(ipc);
      try {
        await c.value('flows/save', { source: trueSteps('fifty', 50) });
        const { id } = await c.value<{ id: number }>('runs/start', { flow: 'fifty' });
        const done = await c.until(
          () => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).id === id && (e.payload as Events['execution/changed']).status === 'succeeded'),
          30_000,
        );
        expect(done).toBeDefined();
        const changes = c.events.filter((e) => e.event === 'stepRuns/changed').map((e) => e.payload as Events['stepRuns/changed']);
        expect(changes.length).toBeGreaterThan(0);
        expect(changes.length).toBeLessThan(25);
        const final = new Map<number, string>();
        for (const ch of changes) {
          expect(ch.executionId).toBe(id);
          for (const r of ch.runs) final.set(r.id, r.status);
        }
        expect(final.size).toBe(50);
        expect([...final.values()].every((s) => s === 'succeeded')).toBe(true);
        // Every window gets the events, not only the one that started the run.
        await other.until(() => other.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).status === 'succeeded'));
        const ex = await c.value<Responses['executions/get']>('executions/get', { id });
        expect(ex.status).toBe('succeeded');
        expect(ex.stepRuns).toHaveLength(50);
      } finally {
        await c.close();
        await other.close();
      }
    });

    it('pushes live output as log/appended', async () => {
      const c = await TestClient.open(ipc);
      try {
        await c.value('flows/save', { source: "id: talk\nname: talk\ntargets: { elements: [localhost] }\nsteps:\n  - { id: say, run: 'echo one; echo two >&2' }\n" });
        const { id } = await c.value<{ id: number }>('runs/start', { flow: 'talk' });
        await c.until(() => c.events.find((e) => e.event === 'execution/changed' && (e.payload as Events['execution/changed']).status === 'succeeded'));
        const logs = c.events.filter((e) => e.event === 'log/appended').map((e) => e.payload as Events['log/appended']);
        expect(logs.every((l) => l.executionId === id)).toBe(true);
        const chunks = logs.flatMap((l) => l.chunks);
        expect(chunks.filter((x) => x.stream === 'stdout').map((x) => x.data).join('')).toBe('one\n');
        expect(chunks.filter((x) => x.stream === 'stderr').map((x) => x.data).join('')).toBe('two\n');
      } finally {
        await c.close();
      }
    });
  });

  it('startHeadless refuses a folder without a renderer build, saying how to make one', async () => {
    await expect(startHeadless({ dbPath: join(dir, 'other.db'), rendererDir: join(dir, 'nope') })).rejects.toThrow(/npx electron-vite build/);
  });

  it('close cancels live runs, closes connections and frees the port', async () => {
    const d2 = mkdtempSync(join(tmpdir(), 'flowdeck-headless-close-'));
    try {
      const second = await startHeadless({ dbPath: join(d2, 'flowdeck.db'), rendererDir: fakeRenderer(d2) });
      const c = await TestClient.open(`ws://127.0.0.1:${second.port}/ipc?token=${second.token}`);
      await c.value('flows/save', { source: "id: slow\nname: slow\ntargets: { elements: [localhost] }\nsteps:\n  - { id: wait, run: 'sleep 30' }\n" });
      const { id } = await c.value<{ id: number }>('runs/start', { flow: 'slow' });
      await c.until(() => c.events.find((e) => e.event === 'stepRuns/changed'));
      const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
      const t0 = Date.now();
      await second.close();
      expect(await closed).toBe(1001);
      expect(Date.now() - t0).toBeLessThan(10_000);
      await expect(httpGet(second.port, '/assets/app.js')).rejects.toThrow();
      // The run was recorded as cancelled before the database closed.
      const again = await startHeadless({ dbPath: join(d2, 'flowdeck.db'), rendererDir: join(d2, 'renderer') });
      const c2 = await TestClient.open(`ws://127.0.0.1:${again.port}/ipc?token=${again.token}`);
      expect(await c2.value<Responses['executions/get']>('executions/get', { id })).toMatchObject({ status: 'cancelled', error: 'cancelled: the console was stopped' });
      await c2.close();
      await again.close();
    } finally {
      rmSync(d2, { recursive: true, force: true });
    }
  });
});
