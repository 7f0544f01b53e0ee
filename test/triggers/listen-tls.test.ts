import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriggerCreated } from '../../src-shared/domain/triggers';
import { fakeRenderer } from '../ipc/harness';
import { waitFor, Workspace } from '../support/cli';
import { httpCall, startServe } from '../support/serve-process';

const FLOW = `id: hello
name: hello
targets: { elements: [localhost] }
steps:
  - { id: s1, run: "echo hello" }
`;

/** The address the listener takes: loopback, but not the console's 127.0.0.1, so it counts as "elsewhere". */
const ADDR = '127.0.0.5';

describe('flowdeck serve --listen (triggers from other machines)', () => {
  const ws = new Workspace();
  let trigger: TriggerCreated;
  let cert: Buffer;

  beforeAll(async () => {
    // A self-signed certificate for the listener's address, made by Debian's openssl.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', `/CN=${ADDR}`, '-addext', `subjectAltName=IP:${ADDR}`,
      '-keyout', ws.path('key.pem'), '-out', ws.path('cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(ws.path('cert.pem'));
    expect((await ws.run(['flow', 'import', ws.file('hello.yaml', FLOW)])).code).toBe(0);
    trigger = await ws.json<TriggerCreated>(['trigger', 'add', 'hello', '--json']);
  });
  afterAll(() => ws.dispose());

  it('refuses an address other than 127.0.0.1 without TLS or --insecure-http, in one line, before serving anything', async () => {
    const r = await ws.run(['serve', '--port', '0', '--renderer', fakeRenderer(ws.dir), '--listen', `${ADDR}:0`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `flowdeck: --listen ${ADDR} takes requests from beyond this console's own address: give --tls-cert FILE --tls-key FILE (HTTPS), or --insecure-http to send tokens in the clear\n`,
    );
    expect(r.stdout).toBe('');
    const half = await ws.run(['serve', '--port', '0', '--renderer', fakeRenderer(ws.dir), '--listen', `${ADDR}:0`, '--tls-cert', ws.path('cert.pem')]);
    expect(half.stderr).toBe('flowdeck: --tls-cert and --tls-key go together\n');
    const bad = await ws.run(['serve', '--port', '0', '--renderer', fakeRenderer(ws.dir), '--listen', 'a:b:c']);
    expect(bad.stderr).toBe('flowdeck: --listen takes HOST or HOST:PORT (e.g. 0.0.0.0:8443 or [::]:8443), not "a:b:c"\n');
  });

  it('with a certificate: HTTPS triggers on the address, the console page and /ipc only on 127.0.0.1', async () => {
    const serve = await startServe(ws, ['--listen', `${ADDR}:0`, '--tls-cert', ws.path('cert.pem'), '--tls-key', ws.path('key.pem')]);
    try {
      expect(serve.triggersOrigin).toMatch(new RegExp(`^https://${ADDR.replace(/\./g, '\\.')}:\\d+$`));
      const origin = serve.triggersOrigin as string;
      const started = await httpCall(`${origin}/api/triggers/${trigger.trigger.id}`, {
        headers: { Authorization: `Bearer ${trigger.token}` },
        body: '{}',
        ca: cert,
      });
      expect(started.status).toBe(202);
      const id = started.json.executionId as number;
      await waitFor('the run to succeed', async () => (await ws.json<{ status: string }>(['executions', 'show', String(id), '--json'])).status === 'succeeded');
      expect((await ws.json<{ trigger: string }>(['executions', 'show', String(id), '--json'])).trigger).toBe('http');
      expect((await httpCall(`${origin}/api/triggers/${trigger.trigger.id}`, { body: '{}', ca: cert })).status).toBe(401);
      // Nothing of the console there, not even with its token.
      for (const path of ['/', `/?token=${serve.token}`, '/assets/app.js', `/ipc?token=${serve.token}`]) {
        const r = await httpCall(`${origin}${path}`, { method: 'GET', ca: cert });
        expect(r.status).toBe(404);
      }
      // Plain HTTP is not spoken there, and the certificate is checked by the client as usual.
      await expect(httpCall(origin.replace('https:', 'http:') + `/api/triggers/${trigger.trigger.id}`, { body: '{}' })).rejects.toThrow();
      await expect(httpCall(`${origin}/api/triggers/${trigger.trigger.id}`, { body: '{}' })).rejects.toThrow(/self.signed/i);
      // The console itself still answers on 127.0.0.1 with its token.
      expect((await httpCall(`${serve.consoleOrigin}/?token=${serve.token}`, { method: 'GET' })).status).toBe(200);
    } finally {
      expect((await serve.stop()).code).toBe(0);
    }
  });

  it('--insecure-http serves triggers over plain HTTP and says so', async () => {
    const serve = await startServe(ws, ['--listen', `${ADDR}:0`, '--insecure-http']);
    try {
      expect(serve.triggersOrigin).toMatch(new RegExp(`^http://${ADDR.replace(/\./g, '\\.')}:\\d+$`));
      const r = await httpCall(`${serve.triggersOrigin as string}/api/triggers/${trigger.trigger.id}`, {
        headers: { Authorization: `Bearer ${trigger.token}` },
        body: '{}',
      });
      expect(r.status).toBe(202);
      await waitFor('the warning', () => serve.stderr().includes('--insecure-http'));
      expect(serve.stderr()).toContain('flowdeck: warning: triggers are taken over plain HTTP (--insecure-http): their tokens cross the network in the clear');
    } finally {
      await serve.stop();
    }
  });
});
