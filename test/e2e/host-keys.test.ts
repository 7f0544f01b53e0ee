// Host keys in the console: an unknown host key is asked in every window open on the console; the
// first answer counts, and main closes the question everywhere (`hostKey/settled`). A window
// whose dialog was closed that way says why instead of just losing it.
//
// The SSH host is test/support/fake-ssh-server.ts on 127.0.0.1 (no root, no real sshd needed):
// a fresh host key every run, so nothing on this machine knows it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSshServer, type FakeSshServer } from '../support/fake-ssh-server';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const remoteFlow = `id: remote
name: Remote
targets: { elements: [box] }
steps:
  - { id: hi, run: 'echo over ssh' }
`;

describe('e2e: host key questions in every window', () => {
  const console_ = useConsole();
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-e2e-hostkey-'));
  const saved = { known: process.env.FLOWDECK_KNOWN_HOSTS, agent: process.env.SSH_AUTH_SOCK };
  let ssh: FakeSshServer;
  let identityFile: string;

  beforeAll(async () => {
    ssh = await startFakeSshServer({
      onExec: (channel) => {
        channel.write('over ssh\n');
        channel.exit(0);
        channel.close();
      },
    });
    // The fake server takes any public key: this one only has to be well formed.
    identityFile = join(dir, 'id_ed25519');
    writeFileSync(identityFile, ssh2.utils.generateKeyPairSync('ed25519').private);
    chmodSync(identityFile, 0o600);
    // No OpenSSH known_hosts of this machine speaks for 127.0.0.1, and no agent is tried; the
    // console process inherits these when `open` starts it.
    writeFileSync(join(dir, 'known_hosts'), '');
    process.env.FLOWDECK_KNOWN_HOSTS = join(dir, 'known_hosts');
    process.env.SSH_AUTH_SOCK = '';
  });

  afterAll(async () => {
    await ssh?.stop();
    for (const [name, value] of [['FLOWDECK_KNOWN_HOSTS', saved.known], ['SSH_AUTH_SOCK', saved.agent]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const inventory = (): string => `elements:
  - { id: box, name: box, host: 127.0.0.1, port: ${ssh.port}, user: tester, identityFile: ${identityFile} }
`;

  const dialogOf = (page: Page) => byTestId(page, 'hostkey-dialog');

  it('asks in both windows; one answers, the other closes its dialog and says why', async () => {
    const { page, context, server } = await console_.open({ inventory: inventory(), flows: [remoteFlow] });
    const other = await context.newPage();
    const otherErrors: string[] = [];
    other.on('pageerror', (e) => otherErrors.push(e.message));
    await other.goto(server.url);
    await other.locator('[data-testid="connection-state"][data-state="open"]').waitFor();

    // Start the run in the first window.
    await byTestId(page, 'nav-flows').click();
    await page.locator('[data-testid="flow-row"][data-flow="remote"] [data-testid="flow-run"]').click();
    await byTestId(page, 'run-dialog').locator('[data-testid="start-button"]').click();
    await eventually(() => page.evaluate(() => location.hash)).toMatch(/^#\/executions\/\d+$/);
    const executionId = (await page.evaluate(() => location.hash)).split('/').pop() ?? '';
    const execution = page.locator(`[data-testid="execution"][data-execution="${executionId}"]`);

    // The same question, with the server's real fingerprint, in both windows.
    for (const p of [page, other]) {
      await dialogOf(p).waitFor();
      expect(await textOf(byTestId(p, 'hostkey-fingerprint'))).toBe(ssh.fingerprint);
    }
    await eventually(() => attrOf(execution, 'data-status')).toBe('running');
    await screenshot(other, 'hostkey-question');

    // The second window trusts it: the run goes on, and the first window's dialog closes with a word.
    await byTestId(other, 'hostkey-trust').click();
    await eventually(() => dialogOf(other).count()).toBe(0);
    await eventually(() => dialogOf(page).count()).toBe(0);
    const note = byTestId(page, 'hostkey-closed');
    await note.waitFor();
    expect(await note.textContent()).toContain(`box (127.0.0.1:${ssh.port}) no longer waits: answered in another window`);
    await screenshot(page, 'hostkey-closed-elsewhere');
    // The window that answered has nothing to be told.
    expect(await byTestId(other, 'hostkey-closed').count()).toBe(0);

    await eventually(() => attrOf(execution, 'data-status'), 20_000).toBe('succeeded');
    expect(ssh.execs).toHaveLength(1);

    // The word goes when dismissed; the key is trusted from now on.
    await byTestId(page, 'hostkey-closed-dismiss').click();
    await eventually(() => note.count()).toBe(0);
    await byTestId(other, 'nav-settings').click();
    await eventually(() => textOf(other.locator('[data-testid="known-host-row"][data-host="127.0.0.1"] [data-testid="known-host-fingerprint"]'))).toBe(ssh.fingerprint);

    await other.close();
    expect(otherErrors).toEqual([]);
  });
});
