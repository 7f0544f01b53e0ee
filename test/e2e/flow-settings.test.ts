// The flow editor's Settings tab: targets, mode, controls and params as a
// form, the processing script in its own editor with the live element order beside it and its
// errors at their line; every edit lands in the one YAML document the other tabs show.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, dataElements, editorText, eventually, screenshot, setEditorText, textOf, useConsole } from './support/console';

const INVENTORY = `groups:
  - { name: app, vars: { tier: web } }
  - { name: misc }
elements:
  - { id: alpha, name: alpha, host: localhost, transport: local, groups: [app], context: { rank: 2 } }
  - { id: bravo, name: bravo, host: localhost, transport: local, groups: [app], context: { rank: 3 } }
  - { id: charlie, name: charlie, host: localhost, transport: local, groups: [app], context: { rank: 1 } }
  - { id: other, name: other, host: localhost, transport: local, groups: [misc], context: { rank: 0 } }
`;

const FLOW_ID = 'app-rollout';

const previewOrder = (page: Page) => dataElements(page.locator('[data-testid="preview-list"] [data-testid="preview-item"]'));
const processing = (page: Page) => page.locator('[data-testid="processing-editor"] .cm-content');
const processingLine = (page: Page, n: number) => page.locator('[data-testid="processing-editor"] .cm-content > .cm-line').nth(n - 1);
const option = (page: Page, list: string, value: string) => page.locator(`[data-testid="${list}-option"][data-value="${value}"]`);

/** The processing editor's text, line by line as CodeMirror shows it. */
function processingText(page: Page): Promise<string> {
  return processing(page).evaluate((el) => [...el.querySelectorAll(':scope > .cm-line')].map((l) => (l.textContent ?? '').replace(/\u200b/g, '')).join('\n'));
}

async function setProcessingText(page: Page, text: string): Promise<void> {
  await processing(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await eventually(() => processingText(page)).toBe(text);
}

async function openSettings(page: Page): Promise<void> {
  await byTestId(page, 'tab-settings').click();
  await byTestId(page, 'flow-settings').waitFor();
}

describe('e2e: flow settings form', () => {
  const console_ = useConsole();

  it('creates a flow through the form, previews its script live, marks a script error at its line, and saves it', async () => {
    const { page } = await console_.open({ inventory: INVENTORY });
    await byTestId(page, 'nav-flows').click();
    await byTestId(page, 'flow-new').click();
    await byTestId(page, 'flow-ok').waitFor();
    await openSettings(page);

    // Basics.
    await byTestId(page, 'settings-id').fill(FLOW_ID);
    await byTestId(page, 'settings-name').fill('App rollout');
    await byTestId(page, 'settings-description').fill('the app tier, highest rank first');
    await byTestId(page, 'settings-mode-parallel').check();

    // Targets: the app group instead of the template's localhost.
    await option(page, 'targets-groups', 'app').check();
    await option(page, 'targets-elements', 'localhost').uncheck();
    expect(await option(page, 'targets-groups', 'misc').isChecked()).toBe(false);
    await eventually(() => previewOrder(page)).toEqual(['alpha', 'bravo', 'charlie']);
    await screenshot(page, 'flow-settings-targets');

    // A filter typed key by key (the rows keep the focus while each keystroke rewrites the YAML), then removed.
    await byTestId(page, 'targets-filters-key').first().pressSequentially('rank');
    await byTestId(page, 'targets-filters-value').first().pressSequentially('2');
    await eventually(() => previewOrder(page)).toEqual(['alpha']);
    await byTestId(page, 'targets-filters-remove').first().click();
    await eventually(() => previewOrder(page)).toEqual(['alpha', 'bravo', 'charlie']);

    // Controls: a good number is written, a bad one is shown at its field and not written.
    await byTestId(page, 'control-concurrency-input').fill('2');
    await byTestId(page, 'control-batchSize-input').fill('two');
    await eventually(() => textOf(byTestId(page, 'control-batchSize-error'))).toBe('batchSize must be a number');
    await byTestId(page, 'control-onFailure').selectOption('continue');

    // Params: the template's param becomes `reverse` (false, a boolean), plus a required ticket.
    const rows = byTestId(page, 'param-row');
    await rows.nth(0).locator('[data-testid="param-name"]').fill('reverse');
    await rows.nth(0).locator('[data-testid="param-default"]').fill('false');
    await byTestId(page, 'param-add').click();
    await eventually(() => rows.count()).toBe(2);
    await rows.nth(1).locator('[data-testid="param-name"]').fill('ticket');
    await rows.nth(1).locator('[data-testid="param-description"]').fill('change ticket');
    await rows.nth(1).locator('[data-testid="param-default"]').fill('OPS-1');
    await rows.nth(1).locator('[data-testid="param-required"]').check();

    // The processing script in its own editor: the preview follows it.
    await setProcessingText(page, '// by rank; params.reverse turns it round\norder_flow_elements(elements, x => x.context.rank, params.reverse)');
    await eventually(() => previewOrder(page)).toEqual(['charlie', 'alpha', 'bravo']);
    await eventually(() => textOf(byTestId(page, 'flow-ok'))).toContain(`valid: ${FLOW_ID}`);

    // A param default the script reads, changed in the form, reorders the preview too.
    await rows.nth(0).locator('[data-testid="param-default"]').fill('true');
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'alpha', 'charlie']);

    // Typing in the script editor, as a person would: a filter on a new line.
    await processingLine(page, 2).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type("filter_flow_elements(elements, x => x.id !== 'alpha')");
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'charlie']);
    await screenshot(page, 'flow-settings');

    // A script error: line 4 of the script, marked there in this editor (line 4 + the header's line in the YAML).
    await page.keyboard.press('Enter');
    await page.keyboard.type('elements.map(x => x.context.missing.deeper)');
    const processingError = byTestId(page, 'processing-error');
    await eventually(() => attrOf(processingError, 'data-line')).toBe('4');
    await eventually(() => textOf(page.locator('[data-testid="processing-editor"] .cm-problem-line'))).toBe('elements.map(x => x.context.missing.deeper)');
    expect(await textOf(page.locator('[data-testid="processing-editor"] .cm-problem-message'))).toMatch(/^4:\d+: TypeError: .*'deeper'/);
    expect(await byTestId(page, 'preview-list').count()).toBe(0);
    await screenshot(page, 'flow-settings-script-error');

    // Gone again: the mark goes, the preview comes back.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'charlie']);
    expect(await page.locator('[data-testid="processing-editor"] .cm-problem-line').count()).toBe(0);
    expect(await processingError.count()).toBe(0);

    // The YAML tab shows every value of the form, in the one document.
    await byTestId(page, 'tab-yaml').click();
    const yaml = await editorText(page);
    expect(yaml).toMatch(new RegExp(`^id: ${FLOW_ID}$`, 'm'));
    expect(yaml).toMatch(/^name: App rollout$/m);
    expect(yaml).toMatch(/^mode: parallel$/m);
    expect(yaml).toMatch(/^targets: \{ groups: \[ app \] \}$/m);
    expect(yaml).toMatch(/^concurrency: 2$/m);
    expect(yaml).toMatch(/^onFailure: continue$/m);
    expect(yaml).not.toContain('batchSize');
    expect(yaml).not.toContain('filters');
    expect(yaml).toContain('- { name: reverse, default: true }');
    expect(yaml).toMatch(/- \{ name: ticket, description: change ticket, default: OPS-1, required: true \}/);
    expect(yaml).toContain(
      "processing: |\n  // by rank; params.reverse turns it round\n  order_flow_elements(elements, x => x.context.rank, params.reverse)\n  filter_flow_elements(elements, x => x.id !== 'alpha')\nsteps:",
    );

    // ...and the other way round: a change in the YAML shows in the form.
    await setEditorText(page, yaml.replace('name: App rollout', 'name: App tier rollout').replace('concurrency: 2', 'concurrency: 3'));
    await openSettings(page);
    expect(await byTestId(page, 'settings-name').inputValue()).toBe('App tier rollout');
    expect(await byTestId(page, 'control-concurrency-input').inputValue()).toBe('3');
    // The field that held an invalid number takes the document's value again (none).
    expect(await byTestId(page, 'control-batchSize-input').inputValue()).toBe('');
    await byTestId(page, 'control-concurrency-input').fill('2');

    // YAML that does not parse: the form turns read-only and says why; nothing is overwritten.
    await byTestId(page, 'tab-yaml').click();
    const good = await editorText(page);
    await setEditorText(page, `${good}\nname: [\n`);
    await openSettings(page);
    await byTestId(page, 'settings-unparsed').waitFor();
    expect(await byTestId(page, 'settings-name').isDisabled()).toBe(true);
    expect(await attrOf(byTestId(page, 'processing-editor'), 'data-readonly')).toBe('true');
    expect(await processing(page).getAttribute('contenteditable')).toBe('false');
    await byTestId(page, 'tab-yaml').click();
    expect(await editorText(page)).toBe(`${good}\nname: [\n`);
    await setEditorText(page, good);

    // Save, reload: the form reads the saved flow back.
    await byTestId(page, 'flow-save').click();
    await eventually(() => textOf(byTestId(page, 'flow-save-result'))).toBe(`${FLOW_ID} v1 saved`);
    await eventually(() => page.evaluate(() => location.hash)).toBe(`#/flows/${FLOW_ID}`);
    await page.reload();
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await byTestId(page, 'flow-ok').waitFor();
    await openSettings(page);
    const id = byTestId(page, 'settings-id');
    await eventually(() => id.inputValue()).toBe(FLOW_ID);
    expect(await id.getAttribute('readonly')).not.toBeNull();
    expect(await byTestId(page, 'settings-name').inputValue()).toBe('App tier rollout');
    expect(await byTestId(page, 'settings-description').inputValue()).toBe('the app tier, highest rank first');
    expect(await byTestId(page, 'settings-mode-parallel').isChecked()).toBe(true);
    expect(await option(page, 'targets-groups', 'app').isChecked()).toBe(true);
    expect(await option(page, 'targets-elements', 'localhost').isChecked()).toBe(false);
    expect(await byTestId(page, 'control-concurrency-input').inputValue()).toBe('2');
    expect(await byTestId(page, 'control-onFailure').inputValue()).toBe('continue');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-param')))).toEqual(['reverse', 'ticket']);
    expect(await rows.nth(0).locator('[data-testid="param-default"]').inputValue()).toBe('true');
    expect(await rows.nth(1).locator('[data-testid="param-required"]').isChecked()).toBe(true);
    expect(await processingText(page)).toBe(
      "// by rank; params.reverse turns it round\norder_flow_elements(elements, x => x.context.rank, params.reverse)\nfilter_flow_elements(elements, x => x.id !== 'alpha')",
    );
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'charlie']);
    expect(await byTestId(page, 'flow-dirty').count()).toBe(0);
  });
});
