// The flow editor's live preview follows the processing script;
// bad YAML and a broken script are shown at their lines.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attrOf, byTestId, dataElements, editorText, eventually, screenshot, setEditorText, textOf, useConsole } from './support/console';

const INVENTORY = `elements:
  - { id: alpha, name: alpha, host: localhost, transport: local, groups: [app], context: { rank: 2 } }
  - { id: bravo, name: bravo, host: localhost, transport: local, groups: [app], context: { rank: 3 } }
  - { id: charlie, name: charlie, host: localhost, transport: local, groups: [app], context: { rank: 1 } }
  - { id: other, name: other, host: localhost, transport: local, groups: [misc], context: { rank: 0 } }
`;

// Line 7 is the processing script's one line.
const RANKED = `id: ranked
name: Ranked rollout
mode: serial
targets: { groups: [app] }
processing: |
  // lowest rank first
  order_flow_elements(elements, x => x.context.rank, false)
steps:
  - id: hello
    run: echo "hello from {{ element.id }}"
  - id: pause
    sleep: 1
`;

const editorLine = (page: Page, n: number) => page.locator('[data-testid="flow-editor-yaml"] .cm-content > .cm-line').nth(n - 1);
const previewOrder = (page: Page) => dataElements(page.locator('[data-testid="preview-list"] [data-testid="preview-item"]'));

async function newFlow(page: Page): Promise<void> {
  await byTestId(page, 'nav-flows').click();
  await byTestId(page, 'flow-new').click();
  await eventually(() => page.evaluate(() => location.hash)).toBe('#/flows/new');
  // The template is checked and previewed before we replace it.
  await byTestId(page, 'flow-ok').waitFor();
}

describe('e2e: flow editor', () => {
  const console_ = useConsole();

  it('journey 2: a processing script orders the preview, and editing it reorders the preview live', async () => {
    const { page } = await console_.open({ inventory: INVENTORY });
    await newFlow(page);
    await setEditorText(page, RANKED);

    await eventually(() => textOf(byTestId(page, 'flow-ok'))).toContain('valid: ranked');
    // Only the `app` group, by rank ascending.
    await eventually(() => previewOrder(page)).toEqual(['charlie', 'alpha', 'bravo']);

    // Edit the script the way a person would: put the cursor in the line, replace `false` by `true`.
    const line = editorLine(page, 7);
    expect(await line.textContent()).toBe('  order_flow_elements(elements, x => x.context.rank, false)');
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 'false'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('true');
    expect(await line.textContent()).toBe('  order_flow_elements(elements, x => x.context.rank, true)');
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'alpha', 'charlie']);
    await byTestId(page, 'flow-dirty').waitFor();

    // A filter in the script drops an element from the preview.
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.type('; filter_flow_elements(elements, x => x.id !== "alpha")');
    await eventually(() => previewOrder(page)).toEqual(['bravo', 'charlie']);
    // The long line scrolls the text sideways; the line numbers stay in view.
    const box = await page.locator('[data-testid="editor-area"]').boundingBox();
    const gutter = await page.locator('[data-testid="flow-editor-yaml"] .cm-gutters').boundingBox();
    expect(gutter?.x).toBeGreaterThanOrEqual(box?.x ?? Infinity);
    expect(await page.locator('[data-testid="flow-editor-yaml"] .cm-scroller').evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);

    // Save: the flow gets its id and version 1, and shows up in the flow list.
    await byTestId(page, 'flow-save').click();
    await eventually(() => textOf(byTestId(page, 'flow-save-result'))).toBe('ranked v1 saved');
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/flows/ranked');
    expect(await byTestId(page, 'flow-dirty').count()).toBe(0);
    // Saving keeps the cursor where it was (the editor may receive the stored, re-serialised text).
    expect(await textOf(page.locator('[data-testid="flow-editor-yaml"] .cm-activeLine'))).toContain('filter_flow_elements');
    // For the picture: the text from its first column (the cursor at the long line's end scrolled it).
    await page.locator('[data-testid="flow-editor-yaml"] .cm-scroller').evaluate((e) => e.scrollTo({ left: 0 }));
    await screenshot(page, 'flow-editor', { docs: true });

    // The visual view reads the same document: its steps, in order.
    await byTestId(page, 'tab-visual').click();
    await byTestId(page, 'flow-visual').waitFor();
    const steps = page.locator('[data-testid="flow-visual"] [data-testid="visual-step"]');
    await eventually(() => steps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-path')}:${e.getAttribute('data-kind')}`))).toEqual([
      'hello:run',
      'pause:sleep',
    ]);
    await screenshot(page, 'flow-visual');
    await byTestId(page, 'tab-yaml').click();
    expect(await editorText(page)).toContain('x.context.rank, true); filter_flow_elements');

    await byTestId(page, 'nav-flows').click();
    const row = page.locator('[data-testid="flow-row"][data-flow="ranked"]');
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['Ranked rollout', 'v1', 'serial', '2']));
    await screenshot(page, 'flows', { docs: true });
  });

  it('journey 6: bad YAML is marked at its line; a processing script that throws names its line', async () => {
    const { page } = await console_.open({ inventory: INVENTORY });
    await newFlow(page);

    // Line 4 repeats a key: invalid YAML.
    await setEditorText(page, `id: broken\nname: Broken\nmode: serial\nname: again\ntargets: { groups: [app] }\nsteps:\n  - { id: a, run: 'true' }\n`);
    const problem = byTestId(page, 'flow-problem');
    await eventually(() => attrOf(problem, 'data-line')).toBe('4');
    expect(await problem.textContent()).toMatch(/^4:1: .*unique/i);
    // The editor marks the same line, with the message under it.
    await eventually(() => textOf(page.locator('.cm-problem-line'))).toBe('name: again');
    expect(await page.locator('.cm-problem-message').textContent()).toMatch(/^4:1: .*unique/i);
    expect(await byTestId(page, 'preview-list').count()).toBe(0);
    await screenshot(page, 'flow-problem-yaml');

    // Fixed: the problem goes, the preview comes back.
    await editorLine(page, 4).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('description: again');
    await byTestId(page, 'flow-ok').waitFor();
    expect(await problem.count()).toBe(0);
    expect(await page.locator('.cm-problem-line').count()).toBe(0);
    await eventually(() => previewOrder(page)).toEqual(['alpha', 'bravo', 'charlie']);

    // A processing script whose second line throws: line 7 of the YAML is line 2 of the script.
    const throwing = `id: broken
name: Broken
mode: serial
targets: { groups: [app] }
processing: |
  const ranked = order_flow_elements(elements, x => x.context.rank);
  throw new Error('no rollout today: ' + ranked.length + ' elements');
steps:
  - { id: a, run: 'true' }
`;
    await setEditorText(page, throwing);
    const previewError = byTestId(page, 'preview-error');
    await eventually(() => attrOf(previewError, 'data-line')).toBe('7');
    const text = (await previewError.textContent()) ?? '';
    expect(text).toMatch(/^processing script: 7:\d+: /);
    expect(text).toMatch(/broken\.processing:2:\d+/);
    expect(text).toContain('no rollout today: 3 elements');
    // The document itself is valid; only the script failed, and the editor marks its line.
    expect(await byTestId(page, 'flow-ok').count()).toBe(1);
    await eventually(() => textOf(page.locator('.cm-problem-line'))).toBe("  throw new Error('no rollout today: ' + ranked.length + ' elements');");
    await screenshot(page, 'flow-problem-script');

    // Python habits get told how to write it in JavaScript.
    await setEditorText(page, throwing.replace(/processing: \|\n[\s\S]*?\nsteps:/, "processing: |\n  elements.sort(key=lambda x: x['rank'])\nsteps:"));
    // ...is refused by the check itself (a syntax error), at the script's line, with a hint.
    await eventually(() => attrOf(problem, 'data-line')).toBe('6');
    expect(await textOf(problem)).toMatch(/This looks like Python; Flowdeck scripts are JavaScript/);
  });
});
