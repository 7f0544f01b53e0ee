// Groups and profiles edited in the Inventory page, and their values reaching an
// element's effective context (profile defaults < groups, ancestors first < the element's own).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

const SEED = `
elements:
  - { id: api1, name: API one, host: localhost, transport: local, context: { role: api } }
`;

/** The element editor's effective context, as JSON. */
async function effectiveContext(page: Page): Promise<unknown> {
  const text = await textOf(page.locator('[data-testid="element-editor"] [data-testid="element-effective"] pre'));
  return text === null ? null : (JSON.parse(text) as unknown);
}

/** Types into the first empty key/value row of the editor `testId` (a new empty row appears under it). */
async function addRow(page: Page, testId: string, key: string, value: string): Promise<void> {
  const keys = page.locator(`[data-testid="${testId}"] [data-testid="${testId}-key"]`);
  const n = await keys.count();
  await keys.nth(n - 1).fill(key);
  await page.locator(`[data-testid="${testId}"] [data-testid="${testId}-value"]`).nth(n - 1).fill(value);
}

describe('e2e: inventory groups and profiles', () => {
  const console_ = useConsole();

  it('creates groups (vars, a child group) and a profile, assigns them to an element, and its effective context follows', async () => {
    const { page, server } = await console_.open({ inventory: SEED });
    const cred = await server.cli(['credential', 'add', 'ops-agent', '--agent', '--user', 'ops']);
    expect(cred.code, cred.stderr).toBe(0);

    await byTestId(page, 'nav-inventory').click();
    await byTestId(page, 'inventory-tab-groups').click();
    await eventually(() => textOf(byTestId(page, 'group-count'))).toBe('0 groups');

    // Group "web": vars typed as JSON; a broken object is shown at once and cannot be saved.
    await byTestId(page, 'group-new').click();
    await byTestId(page, 'group-name').fill('web');
    await byTestId(page, 'group-vars-mode-json').click();
    await byTestId(page, 'group-vars-json').fill('{ "tier": "front", }');
    await eventually(() => textOf(byTestId(page, 'group-vars-error'))).toMatch(/^1:\d+: /);
    expect(await byTestId(page, 'group-save').isDisabled()).toBe(true);
    await byTestId(page, 'group-vars-json').fill('{ "tier": "front", "http": { "port": 8080 } }');
    await eventually(() => byTestId(page, 'group-vars-error').count()).toBe(0);
    await byTestId(page, 'group-save').click();
    await page.locator('[data-testid="group-row"][data-group="web"]').waitFor();

    // Group "dc": vars as key/value rows (a dotted key nests), with "web" as its child.
    await byTestId(page, 'group-new').click();
    await byTestId(page, 'group-name').fill('dc');
    await addRow(page, 'group-vars', 'region', 'eu-west');
    await addRow(page, 'group-vars', 'tier', 'base');
    await addRow(page, 'group-vars', 'backup.window', '02:00');
    await page.locator('[data-testid="group-child"][data-group="web"]').check();
    await byTestId(page, 'group-save').click();
    const dcRow = page.locator('[data-testid="group-row"][data-group="dc"]');
    await dcRow.waitFor();
    expect(await dcRow.locator('td').nth(2).textContent()).toBe('web');
    await eventually(() => textOf(page.locator('[data-testid="group-row"][data-group="web"] td').nth(3))).toBe('dc');

    // A cycle (web containing dc, which contains web) is refused by main, with the path.
    await page.locator('[data-testid="group-row"][data-group="web"]').click();
    await page.locator('[data-testid="group-child"][data-group="dc"]').check();
    await byTestId(page, 'group-save').click();
    await eventually(() => textOf(byTestId(page, 'group-error'))).toContain('web -> dc -> web');
    await page.locator('[data-testid="group-child"][data-group="dc"]').uncheck();
    await screenshot(page, 'inventory-groups');

    // Profile "pg": defaults for port, user, credential (picked from the list) and context.
    await byTestId(page, 'inventory-tab-profiles').click();
    await byTestId(page, 'profile-new').click();
    await byTestId(page, 'profile-id').fill('pg');
    await byTestId(page, 'profile-name').fill('PostgreSQL');
    await byTestId(page, 'profile-port').fill('5433');
    await byTestId(page, 'profile-user').fill('postgres');
    await byTestId(page, 'profile-credential').selectOption('ops-agent');
    await addRow(page, 'profile-context', 'engine', 'pg');
    await addRow(page, 'profile-context', 'role', 'replica');
    await byTestId(page, 'profile-save').click();
    const pgRow = page.locator('[data-testid="profile-row"][data-profile="pg"]');
    await pgRow.waitFor();
    expect(await pgRow.locator('td').allTextContents()).toEqual(['pg', 'PostgreSQL', '5433', 'postgres', 'ops-agent', '{"engine":"pg","role":"replica"}', '0']);
    await screenshot(page, 'inventory-profiles');

    // The element: its own context only, then in group web with profile pg.
    await byTestId(page, 'inventory-tab-elements').click();
    await page.locator('[data-testid="inventory-row"][data-element="api1"]').click();
    await page.locator('[data-testid="element-editor"] [data-testid="element-effective"] summary').click();
    await eventually(() => effectiveContext(page)).toEqual({ role: 'api' });
    await byTestId(page, 'element-groups').fill('web');
    await byTestId(page, 'element-profile').fill('pg');
    await byTestId(page, 'element-save').click();
    // Profile defaults, then dc (web's parent), then web, then the element's own role.
    await eventually(() => effectiveContext(page)).toEqual({ engine: 'pg', region: 'eu-west', backup: { window: '02:00' }, tier: 'front', http: { port: 8080 }, role: 'api' });
    const cells = page.locator('[data-testid="inventory-row"][data-element="api1"] td');
    await eventually(() => textOf(cells.nth(2))).toBe('5433');
    await eventually(() => textOf(cells.nth(3))).toBe('postgres');
    await screenshot(page, 'inventory-effective-context');

    // In use, neither the group nor the profile can be deleted; the error names the element.
    await byTestId(page, 'inventory-tab-groups').click();
    await page.locator('[data-testid="group-row"][data-group="web"]').click();
    await byTestId(page, 'group-delete').click();
    await byTestId(page, 'group-delete-confirm').click();
    await eventually(() => textOf(byTestId(page, 'group-error'))).toContain('api1');
    await page.locator('[data-testid="group-row"][data-group="web"]').waitFor();
    await byTestId(page, 'inventory-tab-profiles').click();
    await pgRow.click();
    await byTestId(page, 'profile-delete').click();
    await byTestId(page, 'profile-delete-confirm').click();
    await eventually(() => textOf(byTestId(page, 'profile-error'))).toContain('api1');

    // An unused group is deleted.
    await byTestId(page, 'inventory-tab-groups').click();
    await byTestId(page, 'group-new').click();
    await byTestId(page, 'group-name').fill('spare');
    await byTestId(page, 'group-save').click();
    await page.locator('[data-testid="group-row"][data-group="spare"]').waitFor();
    await byTestId(page, 'group-delete').click();
    await byTestId(page, 'group-delete-confirm').click();
    await eventually(() => page.locator('[data-testid="group-row"][data-group="spare"]').count()).toBe(0);
    await eventually(() => textOf(byTestId(page, 'group-count'))).toBe('2 groups');

    // What the page shows is what the engine stored.
    const listed = await server.cli(['inventory', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const stored = (JSON.parse(listed.stdout) as Array<{ id: string; context: unknown; port: number }>).find((e) => e.id === 'api1');
    expect(stored).toMatchObject({ port: 5433, context: { engine: 'pg', region: 'eu-west', tier: 'front', role: 'api' } });
  });
});
