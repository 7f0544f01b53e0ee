// The task library. A task saved through the flow editor (a `kind: task` document)
// is listed with its parameters and body, found by search, and gives a "use in flow" step.
// Saving a document of tasks only lands on the library with the task open (`#/tasks/<id>`).
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { byTestId, editorText, eventually, screenshot, setEditorText, textOf, useConsole } from './support/console';

const SEEDED_TASK = `kind: task
id: disk-usage
name: Disk usage
description: Prints how full the root file system is.
run: df -h /
`;

const RESTART_TASK = `kind: task
id: restart-service
name: Restart a service
description: Restarts a systemd unit and waits for it.
params:
  - { name: service, type: string, default: patroni, description: the unit }
  - { name: wait, type: number, default: 5 }
  - { name: reason, type: string, required: true }
script: |
  systemctl restart {{ shq(params.service) }}
  sleep {{ params.wait }}
interpreter: /bin/bash
timeout: 300
retries: { count: 2, delay: 5 }
`;

describe('e2e: task library', () => {
  const console_ = useConsole();

  it('lists a task saved in the flow editor, finds it by search, shows its body, and copies its step', async () => {
    const { page, context } = await console_.open({ flows: [SEEDED_TASK] });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);

    // The library and the schedules have `g` shortcuts too, listed in the nav like the others.
    expect(await textOf(byTestId(page, 'nav-tasks').locator('kbd'))).toBe('g t');
    expect(await textOf(byTestId(page, 'nav-schedules').locator('kbd'))).toBe('g c');
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/schedules');
    await page.keyboard.press('g');
    await page.keyboard.press('t');
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks');
    await byTestId(page, 'nav-executions').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/executions');

    await byTestId(page, 'nav-tasks').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks');
    const rows = page.locator('[data-testid="task-row"]');
    await eventually(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-task')))).toEqual(['disk-usage']);

    // "New task…" opens the flow editor on a kind: task template; save our task from there.
    await byTestId(page, 'task-new').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/flows/new');
    await eventually(() => editorText(page)).toMatch(/^kind: task\n/);
    await setEditorText(page, RESTART_TASK);
    await eventually(() => textOf(byTestId(page, 'flow-ok'))).toContain('tasks restart-service');
    await byTestId(page, 'flow-save').click();

    // Only a task in the document: no flow to stay on, so the library opens on the saved task.
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks/restart-service');
    await eventually(() => textOf(byTestId(page, 'tasks-save-result'))).toBe('saved task restart-service');
    await eventually(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-task')))).toEqual(['disk-usage', 'restart-service']);
    await eventually(() => textOf(byTestId(page, 'task-count'))).toBe('2 tasks');
    await page.locator('[data-testid="task-details"][data-task="restart-service"]').waitFor();
    expect(await page.locator('[data-testid="task-row"][aria-selected="true"]').getAttribute('data-task')).toBe('restart-service');

    // The editor is done with the saved task: a new flow starts from the flow template.
    await byTestId(page, 'nav-flows').click();
    await byTestId(page, 'flow-new').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/flows/new');
    await eventually(() => editorText(page)).toMatch(/^id: new-flow\n/);
    expect(await byTestId(page, 'flow-save-result').count()).toBe(0);

    // The selection is in the address: Back and a reload come back to it (the save message was news once).
    await page.goBack();
    await page.goBack();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks/restart-service');
    await page.locator('[data-testid="task-details"][data-task="restart-service"]').waitFor();
    expect(await byTestId(page, 'tasks-save-result').count()).toBe(0);
    await page.reload();
    await page.locator('[data-testid="task-details"][data-task="restart-service"]').waitFor();
    // Picking another task changes the address in place.
    await page.locator('[data-testid="task-row"][data-task="disk-usage"]').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks/disk-usage');
    await page.locator('[data-testid="task-details"][data-task="disk-usage"]').waitFor();

    await byTestId(page, 'nav-tasks').click();
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/tasks');

    // Search narrows the list (by a parameter name here) and the match opens.
    await byTestId(page, 'tasks-search').fill('reason');
    await eventually(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-task')))).toEqual(['restart-service']);
    await eventually(() => textOf(byTestId(page, 'task-count'))).toBe('1 of 2 tasks');
    const details = page.locator('[data-testid="task-details"][data-task="restart-service"]');
    await details.waitFor();
    expect(await byTestId(page, 'task-description').textContent()).toBe('Restarts a systemd unit and waits for it.');
    expect(await byTestId(page, 'task-body').textContent()).toBe('systemctl restart {{ shq(params.service) }}\nsleep {{ params.wait }}\n');
    const params = await page.locator('[data-testid="task-param"]').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('td')].map((td) => td.textContent)));
    expect(params).toEqual([
      ['service', 'string', '"patroni"', 'no', 'the unit'],
      ['wait', 'number', '5', 'no', ''],
      ['reason', 'string', '—', 'yes', ''],
    ]);
    const facts = await details.locator('[data-testid="task-facts"]').textContent();
    expect(facts).toContain('300s');
    expect(facts).toContain('2 retries, 5s apart');
    expect(facts).toContain('/bin/bash');

    // The step to paste into a flow: defaults filled in, the required one named.
    const snippet = await byTestId(page, 'task-snippet').textContent();
    expect(snippet).toBe('- task: restart-service\n  with: { service: "patroni", wait: 5 }\n  # set in with: reason (string, required)\n');
    expect(parse(snippet ?? '')).toEqual([{ task: 'restart-service', with: { service: 'patroni', wait: 5 } }]);
    await byTestId(page, 'task-snippet-copy').click();
    await byTestId(page, 'task-snippet-copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await screenshot(page, 'tasks', { docs: true });

    // No match says so.
    await byTestId(page, 'tasks-search').fill('no-such-task');
    await eventually(() => rows.count()).toBe(0);
    await eventually(() => textOf(page.locator('[data-testid="tasks-table"] [data-testid="table-empty"]'))).toBe('No task matches.');
  });
});
