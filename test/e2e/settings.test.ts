// Retention and limits in Settings, saved through settings/save and read
// back from the database after a reload.
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

describe('e2e: settings, retention and limits', () => {
  const console_ = useConsole();

  it('saves a retention in days and a limit on runs at once, refuses bad values at the field, and keeps them across a reload', async () => {
    const { page } = await console_.open();
    await byTestId(page, 'nav-settings').click();
    const limits = byTestId(page, 'limits');
    await limits.waitFor();

    // A fresh database keeps everything and runs 8 at once.
    await eventually(() => byTestId(page, 'retention-keep-all').isChecked()).toBe(true);
    expect(await byTestId(page, 'retention-days').isDisabled()).toBe(true);
    expect(await byTestId(page, 'max-concurrent').inputValue()).toBe('8');
    expect(await byTestId(page, 'limits-save').isDisabled()).toBe(true);

    // Bad values are named at their field and cannot be saved.
    await byTestId(page, 'retention-limited').check();
    await byTestId(page, 'retention-days').fill('0');
    await eventually(() => textOf(byTestId(page, 'retention-days-error'))).toBe('must be between 1 and 3650');
    await byTestId(page, 'max-concurrent').fill('2.5');
    await eventually(() => textOf(byTestId(page, 'max-concurrent-error'))).toBe('must be a whole number');
    expect(await byTestId(page, 'limits-save').isDisabled()).toBe(true);
    expect(await attrOf(byTestId(page, 'retention-days'), 'aria-invalid')).toBe('true');

    await byTestId(page, 'retention-days').fill('30');
    await byTestId(page, 'max-concurrent').fill('3');
    await eventually(() => byTestId(page, 'retention-days-error').count()).toBe(0);
    await byTestId(page, 'limits-save').click();
    await byTestId(page, 'limits-saved').waitFor();
    await screenshot(page, 'settings-limits');

    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await byTestId(page, 'limits').waitFor();
    await eventually(() => byTestId(page, 'retention-limited').isChecked()).toBe(true);
    expect(await byTestId(page, 'retention-days').inputValue()).toBe('30');
    expect(await byTestId(page, 'max-concurrent').inputValue()).toBe('3');

    // Back to keeping everything.
    await byTestId(page, 'retention-keep-all').check();
    await byTestId(page, 'limits-save').click();
    await byTestId(page, 'limits-saved').waitFor();
    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await eventually(() => byTestId(page, 'retention-keep-all').isChecked()).toBe(true);
    expect(await byTestId(page, 'max-concurrent').inputValue()).toBe('3');
  });

  it('deletes a credential in two clicks: Keep leaves it, Delete removes it from the database', async () => {
    const { page, server } = await console_.open();
    for (const id of ['ops-agent', 'old-agent']) {
      const r = await server.cli(['credential', 'add', id, '--agent', '--user', 'ops']);
      expect(r.code, r.stderr).toBe(0);
    }
    await byTestId(page, 'nav-settings').click();
    const row = page.locator('[data-testid="credential-row"][data-credential="old-agent"]');
    await row.waitFor();

    await byTestId(row, 'credential-delete').click();
    await row.getByRole('button', { name: 'Keep' }).click();
    expect(await byTestId(row, 'credential-delete-confirm').count()).toBe(0);

    await byTestId(row, 'credential-delete').click();
    await byTestId(row, 'credential-delete-confirm').click();
    await eventually(() => row.count()).toBe(0);
    const list = await server.cli(['credential', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((c) => c.id)).toEqual(['ops-agent']);
  });
});
