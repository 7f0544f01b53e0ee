// Import an inventory by pasting it, and see it in the table.
import { describe, expect, it } from 'vitest';
import { byTestId, dataElements, eventually, screenshot, textOf, useConsole } from './support/console';

const PASTED = `# three boxes on this machine
groups:
  - { name: web, vars: { tier: front } }
elements:
  - { id: web1, name: Web one, host: localhost, transport: local, groups: [web] }
  - { id: web2, name: Web two, host: localhost, transport: local, groups: [web] }
  - { id: db1, name: Database, host: localhost, transport: local, groups: [db], context: { role: primary } }
`;

const ANSIBLE_INI = `[cache]
redis1 ansible_connection=local ansible_host=localhost
redis2 ansible_connection=local ansible_host=localhost

[cache:vars]
maxmemory=2gb
`;

describe('e2e: inventory', () => {
  const console_ = useConsole();

  it('journey 1: pasting Flowdeck YAML, then an Ansible INI, adds the elements and shows them in the table', async () => {
    const { page } = await console_.open();
    await byTestId(page, 'nav-inventory').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/inventory');

    // A fresh install has the built-in localhost element.
    const rows = page.locator('[data-testid="inventory-table"] [data-testid="inventory-row"]');
    await eventually(() => dataElements(rows)).toEqual(['localhost']);
    await eventually(() => textOf(byTestId(page, 'inventory-count'))).toMatch(/^1 elements?$/);

    await byTestId(page, 'import-toggle').click();
    await byTestId(page, 'import-text').fill(PASTED);
    await byTestId(page, 'import-button').click();

    const result = byTestId(page, 'import-result');
    await result.waitFor();
    // What was added is counted per item: the three elements and the group that carries vars.
    expect(await byTestId(page, 'import-added').textContent()).toBe('4');
    expect(await byTestId(page, 'import-updated').textContent()).toBe('0');
    const text = await result.textContent();
    for (const item of ['element:web1', 'element:web2', 'element:db1', 'group:web']) expect(text).toContain(item);
    expect(await byTestId(page, 'import-error').count()).toBe(0);

    await eventually(() => dataElements(rows).then((ids) => ids.sort())).toEqual(['db1', 'localhost', 'web1', 'web2']);
    const web1 = page.locator('[data-testid="inventory-row"][data-element="web1"]');
    const cells = await web1.locator('td').allTextContents();
    expect(cells[0]).toBe('web1 Web one');
    expect(cells[1]).toBe('localhost');
    expect(cells[4]).toBe('local');
    expect(cells[5]).toBe('web');
    await eventually(() => textOf(byTestId(page, 'inventory-count'))).toBe('4 elements');

    // The same text again updates nothing and duplicates nothing.
    await byTestId(page, 'import-button').click();
    await eventually(() => textOf(byTestId(page, 'import-unchanged'))).toBe('4');
    expect(await byTestId(page, 'import-added').textContent()).toBe('0');
    expect(await rows.count()).toBe(4);

    // An Ansible INI inventory: aliases become ids, ansible_connection=local the transport.
    await byTestId(page, 'import-text').fill(ANSIBLE_INI);
    await byTestId(page, 'import-file-name').fill('hosts.ini');
    await byTestId(page, 'import-button').click();
    await eventually(() => textOf(byTestId(page, 'import-result'))).toMatch(/added: .*element:redis1, element:redis2/);
    await eventually(() => rows.count()).toBe(6);
    const redis1 = await page.locator('[data-testid="inventory-row"][data-element="redis1"] td').allTextContents();
    expect(redis1[4]).toBe('local');
    expect(redis1[5]).toBe('cache');

    // The group filter narrows the table to one group.
    await byTestId(page, 'inventory-group-filter').selectOption('web');
    await eventually(() => dataElements(rows)).toEqual(['web1', 'web2']);
    await byTestId(page, 'inventory-group-filter').selectOption('');
    await eventually(() => rows.count()).toBe(6);

    await screenshot(page, 'inventory', { docs: true });
  });

  it('journey 1b: text that is no inventory gets an error and adds nothing', async () => {
    const { page } = await console_.open();
    await byTestId(page, 'nav-inventory').click();
    await byTestId(page, 'import-toggle').click();
    await byTestId(page, 'import-text').fill('elements:\n  - { id: broken, host: [not, a, host] }\n');
    await byTestId(page, 'import-button').click();
    const error = byTestId(page, 'import-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/\S/);
    expect(await byTestId(page, 'import-result').count()).toBe(0);
    const rows = page.locator('[data-testid="inventory-row"]');
    await eventually(() => dataElements(rows)).toEqual(['localhost']);
    await screenshot(page, 'inventory-import-error');
  });
});
