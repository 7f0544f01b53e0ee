import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriggerCreated, TriggerView } from '../../src-shared/domain/triggers';
import { waitFor, Workspace } from '../support/cli';
import { httpCall, startServe, type ServeProcess } from '../support/serve-process';

interface Shown {
  id: number;
  status: string;
  trigger: string;
  params: Record<string, unknown>;
  labels: Record<string, string[]>;
}

const FLOW = `id: deploy
name: deploy
targets: { elements: [localhost] }
params:
  - { name: env, default: dev }
  - { name: version, default: "0" }
steps:
  - { id: s1, run: "echo deploying {{ params.version }} to {{ params.env }}" }
`;

const ECHO_FLOW = `id: echo-x
name: echo-x
targets: { elements: [localhost] }
params:
  - { name: x, required: true }
steps:
  - { id: s1, run: "echo got {{ params.x }}" }
`;

describe('HTTP triggers on `flowdeck serve` (a real HTTP client against the process)', () => {
  const ws = new Workspace();
  let serve: ServeProcess;
  let deploy: TriggerCreated;
  let echo: TriggerCreated;
  const url = (id: string): string => `${serve.consoleOrigin}/api/triggers/${id}`;
  const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

  const finished = async (id: number): Promise<Shown> =>
    waitFor(`execution #${id} to end`, async () => {
      const x = await ws.json<Shown>(['executions', 'show', String(id), '--json']);
      return ['succeeded', 'failed', 'cancelled'].includes(x.status) ? x : undefined;
    }, 30_000);

  beforeAll(async () => {
    expect((await ws.run(['flow', 'import', ws.file('deploy.yaml', FLOW), ws.file('echo.yaml', ECHO_FLOW)])).code).toBe(0);
    deploy = await ws.json<TriggerCreated>(['trigger', 'add', 'deploy', '--name', 'ci', '--param', 'env=staging', '--allow-param', 'version', '--json']);
    echo = await ws.json<TriggerCreated>(['trigger', 'add', 'echo-x', '--allow-param', 'x', '--json']);
    serve = await startServe(ws);
  });
  afterAll(async () => {
    await serve?.stop();
    ws.dispose();
  });

  it('trigger add prints the id, the path and the token once; list never shows a token', async () => {
    expect(deploy.trigger.id).toMatch(/^[0-9a-f]{16}$/);
    expect(deploy.trigger.path).toBe(`/api/triggers/${deploy.trigger.id}`);
    expect(deploy.token).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
    const text = await ws.run(['trigger', 'add', 'deploy']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^trigger [0-9a-f]{16} added: flow deploy\npath: {2}\/api\/triggers\/[0-9a-f]{16}\ntoken: fdt_\S+\n/);
    const list = await ws.run(['trigger', 'list']);
    const listJson = await ws.run(['trigger', 'list', '--json']);
    for (const out of [list.stdout, listJson.stdout]) {
      expect(out).toContain(deploy.trigger.id);
      expect(out).not.toContain(deploy.token);
      expect(out).not.toContain('fdt_');
    }
    expect((JSON.parse(listJson.stdout) as TriggerView[]).find((t) => t.id === deploy.trigger.id)).toMatchObject({
      flow: 'deploy',
      name: 'ci',
      params: { env: 'staging' },
      allowParams: ['version'],
      lastUsedAt: null,
    });
  });

  it('trigger add refuses an unknown flow and a parameter the flow does not declare, in one line', async () => {
    const unknown = await ws.run(['trigger', 'add', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('flowdeck: unknown flow "nope"\n');
    const undeclared = await ws.run(['trigger', 'add', 'deploy', '--allow-param', 'colour']);
    expect(undeclared.code).toBe(1);
    expect(undeclared.stderr).toBe('flowdeck: flow "deploy" has no parameter "colour" (declared: env, version)\n');
  });

  it('starts the flow: 202 with the execution id; the run has trigger http, the fixed and allowed params and the labels', async () => {
    const r = await httpCall(url(deploy.trigger.id), {
      headers: auth(deploy.token),
      body: JSON.stringify({ params: { version: '1.4.2' }, labels: { ticket: 'OPS-12', by: ['ci', 'bot'] } }),
    });
    expect(r.status).toBe(202);
    const id = r.json.executionId as number;
    expect(Number.isInteger(id)).toBe(true);
    const x = await finished(id);
    expect(x).toMatchObject({ status: 'succeeded', trigger: 'http', params: { env: 'staging', version: '1.4.2' }, labels: { ticket: ['OPS-12'], by: ['bot', 'ci'] } });
    const listed = await ws.json<Array<{ id: number; trigger: string; triggerId?: string }>>(['executions', 'list', '--json']);
    expect(listed.find((e) => e.id === id)).toMatchObject({ trigger: 'http', triggerId: deploy.trigger.id });
    expect((await ws.run(['logs', String(id), '--raw'])).stdout).toContain('deploying 1.4.2 to staging');
    const t = (await ws.json<TriggerView[]>(['trigger', 'list', '--json'])).find((v) => v.id === deploy.trigger.id);
    expect(t?.lastExecutionId).toBe(id);
    expect(t?.lastUsedAt).toEqual(expect.any(Number));
  });

  it('an empty body runs with the trigger\'s own params', async () => {
    const r = await httpCall(url(deploy.trigger.id), { headers: { Authorization: `Bearer ${deploy.token}` } });
    expect(r.status).toBe(202);
    expect(await finished(r.json.executionId as number)).toMatchObject({ status: 'succeeded', params: { env: 'staging', version: '0' } });
  });

  it('answers 401, 404, 400, 413 and 405 with a reason, and starts nothing', async () => {
    const before = (await ws.json<unknown[]>(['executions', 'list', '--json'])).length;
    const id = deploy.trigger.id;
    const body = JSON.stringify({ params: { version: '2' } });

    const none = await httpCall(url(id), { body });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await httpCall(url(id), { headers: auth(echo.token), body })).status).toBe(401);
    expect((await httpCall(url(id), { headers: { Authorization: `Basic ${deploy.token}` }, body })).status).toBe(401);

    expect((await httpCall(url('0123456789abcdef'), { headers: auth(deploy.token), body })).status).toBe(404);
    expect((await httpCall(`${serve.consoleOrigin}/api/triggers/nope`, { headers: auth(deploy.token), body })).status).toBe(404);

    const undeclared = await httpCall(url(id), { headers: auth(deploy.token), body: JSON.stringify({ params: { colour: 'red' } }) });
    expect(undeclared.status).toBe(400);
    expect(undeclared.json.error).toBe('flow "deploy" has no parameter "colour" (declared: env, version)');
    const fixed = await httpCall(url(id), { headers: auth(deploy.token), body: JSON.stringify({ params: { env: 'production' } }) });
    expect(fixed.status).toBe(400);
    expect(fixed.json.error).toBe(`trigger ${id} does not let callers set parameter "env" (allowed: version)`);
    const malformed = await httpCall(url(id), { headers: auth(deploy.token), body: '{"params": {' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/^the body is not JSON: /);
    const wrongShape = await httpCall(url(id), { headers: auth(deploy.token), body: JSON.stringify({ params: { version: '3' }, elements: ['x'] }) });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.json.error).toMatch(/expected \{ "params": \{\.\.\.\}, "labels": \{\.\.\.\} \}/);

    const big = JSON.stringify({ params: { version: 'v'.repeat(70 * 1024) } });
    const tooBig = await httpCall(url(id), { headers: auth(deploy.token), body: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toBe('the body is larger than 65536 bytes');

    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await httpCall(url(id), { method, headers: auth(deploy.token) });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('POST');
    }
    expect((await ws.json<unknown[]>(['executions', 'list', '--json'])).length).toBe(before);
  });

  it('a request naming a foreign Host is refused on the console listener, as the console is', async () => {
    const r = await httpCall(url(deploy.trigger.id), { headers: { ...auth(deploy.token), Host: 'evil.example:80' }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('a param with shell syntax in it is text: nothing it names runs', async () => {
    const marker = ws.path('pwned');
    const value = `x; touch ${marker}; $(touch ${marker}) \`touch ${marker}\``;
    const r = await httpCall(url(echo.trigger.id), { headers: auth(echo.token), body: JSON.stringify({ params: { x: value } }) });
    expect(r.status).toBe(202);
    const x = await finished(r.json.executionId as number);
    expect(x.status).toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
    expect((await ws.run(['logs', String(x.id), '--raw'])).stdout).toContain(`got ${value}`);
  });

  it('limits wrong tokens per trigger to a few a second (429), leaving other triggers alone, then takes the right one again', async () => {
    const id = echo.trigger.id;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => httpCall(url(id), { headers: auth('fdt_wrong'), body: '{}' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    expect(answers.find((a) => a.status === 429)?.headers['retry-after']).toBe('1');
    // Another trigger is not held up by it.
    expect((await httpCall(url(deploy.trigger.id), { headers: auth(deploy.token), body: '{}' })).status).toBe(202);
    const ok = await waitFor('the trigger to take its token again', async () => {
      const a = await httpCall(url(id), { headers: auth(echo.token), body: JSON.stringify({ params: { x: 'again' } }) });
      return a.status === 202 ? a : undefined;
    }, 10_000, 200);
    expect(ok.json.executionId).toEqual(expect.any(Number));
  });

  it('trigger rm: the token stops working at once (404), and the trigger\'s runs stay', async () => {
    const t = await ws.json<TriggerCreated>(['trigger', 'add', 'deploy', '--json']);
    const r = await httpCall(url(t.trigger.id), { headers: auth(t.token), body: '{}' });
    expect(r.status).toBe(202);
    await finished(r.json.executionId as number);
    expect((await ws.run(['trigger', 'rm', t.trigger.id])).stdout).toBe(`trigger ${t.trigger.id} removed\n`);
    expect((await httpCall(url(t.trigger.id), { headers: auth(t.token), body: '{}' })).status).toBe(404);
    const gone = await ws.run(['trigger', 'rm', t.trigger.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`flowdeck: unknown trigger ${t.trigger.id}\n`);
    expect(await ws.json<Shown>(['executions', 'show', String(r.json.executionId), '--json'])).toMatchObject({ trigger: 'http' });
  });
});
