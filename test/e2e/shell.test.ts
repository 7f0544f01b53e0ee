// The console's terminals in Chromium against `flowdeck serve` and a real sshd: a "Shell" on an
// element of the Inventory and on a step cell of an execution opens a tab with the element's login
// shell; what is typed runs there and the answer shows in the terminal; the terminal follows the
// window's size and the theme; several tabs live side by side; closing a tab ends the remote
// shell (its process is gone from the host); an unknown host key is asked in the console's dialog.
import { hostname } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole, type ConsoleServer } from './support/console';

const FLOW = `id: check
name: Check
targets: { elements: [box] }
steps:
  - { id: hello, run: 'echo hello from box' }
`;

/** The visible terminal of an element's tab. */
const terminalOf = (page: Page, element: string): Locator => page.locator(`[data-testid="shell-terminal"][data-element="${element}"]:not([hidden])`);

/** What the terminal shows, row by row (xterm's DOM renderer draws one div per row). */
const screenOf = (page: Page, element: string): Promise<string> =>
  terminalOf(page, element)
    .locator('.xterm-rows')
    .evaluateAll((els) => (els[0] ? [...els[0].children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n') : ''));

async function typeInto(page: Page, element: string, line: string): Promise<void> {
  await terminalOf(page, element).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe('e2e: shells on elements in the console', () => {
  const console_ = useConsole();
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-e2e-shell-'));
  const saved = { known: process.env.FLOWDECK_KNOWN_HOSTS, agent: process.env.SSH_AUTH_SOCK };
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2 });
    // The console process inherits these when `open` starts it: 127.0.0.2 is known, 127.0.0.3 is not.
    const [h1] = fleet.hosts;
    writeFileSync(join(dir, 'known_hosts'), fleet.knownHostsLines().filter((l) => l.startsWith(`[${h1?.address}]`)).join('\n') + '\n');
    process.env.FLOWDECK_KNOWN_HOSTS = join(dir, 'known_hosts');
    process.env.SSH_AUTH_SOCK = '';
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    for (const [name, value] of [['FLOWDECK_KNOWN_HOSTS', saved.known], ['SSH_AUTH_SOCK', saved.agent]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const inventory = (): string => {
    const [h1, h2] = fleet.hosts;
    const box = `port: ${h1?.port}, user: ${fleet.user}, credential: fleet-key`;
    return `elements:
  - { id: box, name: box, host: ${h1?.address}, ${box} }
  - { id: stranger, name: stranger, host: ${h2?.address}, ${box} }
`;
  };

  const withCredential = async (server: ConsoleServer): Promise<void> => {
    const r = await server.cli(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(r.code, r.stderr).toBe(0);
  };

  it('Inventory -> Shell: typed commands run on the host, the terminal follows the window and the theme, closing the tab ends the remote shell', async () => {
    const { page, server } = await console_.open({ inventory: inventory() });
    await withCredential(server);
    await byTestId(page, 'nav-inventory').click();
    await page.locator('[data-testid="shell-open"][data-element="box"]').click();
    const tab = page.locator('[data-testid="shell-tab"][data-element="box"]');
    await eventually(() => attrOf(tab, 'data-state'), 20_000).toBe('open');

    await typeInto(page, 'box', 'hostname; echo marker-$((6*7))');
    await eventually(() => screenOf(page, 'box')).toMatch(/marker-42/);
    expect((await screenOf(page, 'box')).split('\n')).toContain(hostname());
    await screenshot(page, 'shell', { docs: true });

    // A wider window is a wider remote terminal.
    await typeInto(page, 'box', 'echo cols=$(tput cols)');
    await eventually(() => screenOf(page, 'box')).toMatch(/cols=\d+/);
    const before = Number(/cols=(\d+)/.exec(await screenOf(page, 'box'))?.[1]);
    await page.setViewportSize({ width: 1000, height: 800 });
    await eventually(async () => {
      await typeInto(page, 'box', 'echo now=$(tput cols)');
      return Number([...(await screenOf(page, 'box')).matchAll(/now=(\d+)/g)].at(-1)?.[1] ?? before);
    }, 15_000).toBeLessThan(before);

    // The terminal's background (xterm paints it on its scrollable element) is the theme's token, light and dark.
    const background = (): Promise<string | null> => terminalOf(page, 'box').locator('.xterm-scrollable-element').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const token = (): Promise<string> =>
      page.evaluate(() => {
        const probe = document.createElement('div');
        probe.style.backgroundColor = 'var(--term-bg)';
        document.body.append(probe);
        const value = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return value;
      });
    const themed = async (theme: 'light' | 'dark'): Promise<string | false> => {
      const now = await page.evaluate(() => document.documentElement.dataset.theme);
      const [bg, expected] = [await background(), await token()];
      return now === theme && bg === expected && bg;
    };
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await eventually(() => themed('light')).toBeTruthy().then(() => themed('light'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await eventually(() => themed('dark')).toBeTruthy();
    expect(await themed('dark')).not.toBe(light);

    // Closing the tab ends the shell on the host, and what runs in it.
    await typeInto(page, 'box', 'sleep 31997');
    await eventually(() => remoteProcessesMatching('sleep 31997').length, 15_000).toBe(1);
    await tab.locator('[data-testid="shell-tab-close"]').click();
    await eventually(() => remoteProcessesMatching('sleep 31997').length, 15_000).toBe(0);
    expect(await byTestId(page, 'shell-dock').count()).toBe(0);
  });

  it("a step cell's Shell opens a tab on that cell's element; several tabs live side by side", async () => {
    const { page, server } = await console_.open({ inventory: inventory(), flows: [FLOW] });
    await withCredential(server);
    const run = await server.cli(['run', 'check', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { id } = JSON.parse(run.stdout) as { id: number };
    await page.goto(`${server.url}#/executions/${id}`);
    await byTestId(page, 'grid-cell-box-hello').click();
    await page.locator('[data-testid="log-panel"] [data-testid="shell-open"]').click();
    await eventually(() => attrOf(page.locator('[data-testid="shell-tab"][data-element="box"]'), 'data-state'), 20_000).toBe('open');
    await typeInto(page, 'box', 'echo cell-$((2*5))');
    await eventually(() => screenOf(page, 'box')).toMatch(/cell-10/);

    // A second shell on the same element, from the Inventory: its own session, the first one kept.
    await byTestId(page, 'nav-inventory').click();
    await page.locator('[data-testid="shell-open"][data-element="box"]').click();
    const tabs = page.locator('[data-testid="shell-tab"]');
    await eventually(() => tabs.count()).toBe(2);
    await eventually(() => attrOf(tabs.nth(1), 'data-state'), 20_000).toBe('open');
    await typeInto(page, 'box', 'echo second-$((3*3))');
    await eventually(() => screenOf(page, 'box')).toMatch(/second-9/);
    expect(await screenOf(page, 'box')).not.toMatch(/cell-10/);
    await tabs.nth(0).getByRole('tab').click();
    await eventually(() => screenOf(page, 'box')).toMatch(/cell-10/);

    // `exit` ends a session by itself: its tab says so and stays until closed.
    await typeInto(page, 'box', 'exit 3');
    await eventually(() => attrOf(tabs.nth(0), 'data-state')).toBe('ended');
    await eventually(() => screenOf(page, 'box')).toMatch(/shell ended: exit 3/);
    expect(await textOf(tabs.nth(0).getByRole('tab'))).toBe('box');
  });

  it("an unknown host key is asked in the console's dialog, as for a run; trusting it opens the shell", async () => {
    const { page, server } = await console_.open({ inventory: inventory() });
    await withCredential(server);
    await byTestId(page, 'nav-inventory').click();
    await page.locator('[data-testid="shell-open"][data-element="stranger"]').click();
    await byTestId(page, 'hostkey-dialog').waitFor();
    expect(await textOf(byTestId(page, 'hostkey-fingerprint'))).toBe(fleet.hostKeys[0]?.sha256);
    await byTestId(page, 'hostkey-trust').click();
    await eventually(() => attrOf(page.locator('[data-testid="shell-tab"][data-element="stranger"]'), 'data-state'), 20_000).toBe('open');
    await typeInto(page, 'stranger', 'echo trusted-$((4*5))');
    await eventually(() => screenOf(page, 'stranger')).toMatch(/trusted-20/);
  });
});
