import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';

/** A run on no element must not look like a success: a typo'd group would "succeed" every night. */
describe('a run that matches no element', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local, groups: [f50] }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    const flows = [
      'id: typo\nname: typo\ntargets: { groups: [f10] }\nsteps:\n  - { id: a, run: echo hi }\n',
      "id: dropped\nname: dropped\ntargets: { groups: [f50] }\nprocessing: \"return elements.filter(e => e.id === 'nobody')\"\nsteps:\n  - { id: a, run: echo hi }\n",
      'id: meant\nname: meant\ntargets: { groups: [f10] }\nallowEmpty: true\nsteps:\n  - { id: a, run: echo hi }\n',
    ];
    for (const [i, text] of flows.entries()) expect((await ws.run(['flow', 'import', ws.file(`f${i}.yaml`, text)])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const executions = (): Promise<unknown[]> => ws.json<unknown[]>(['executions', 'list', '--json']);

  it('fails at once with the targets it looked for, writing no execution', async () => {
    const r = await ws.run(['run', 'typo']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('flowdeck: flow "typo": no element matched groups [f10]; nothing was run (a flow meant to allow this says allowEmpty: true)');
    expect(await executions()).toEqual([]);
  });

  it('the dry run says the same', async () => {
    const r = await ws.run(['run', 'typo', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no element matched groups \[f10\]/);
  });

  it('a processing script that keeps none fails too', async () => {
    const r = await ws.run(['run', 'dropped']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the processing script kept none of the 1 element\(s\) the targets matched/);
    expect(await executions()).toEqual([]);
  });

  it('allowEmpty: true runs on nothing and succeeds', async () => {
    const r = await ws.run(['run', 'meant', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ExecutionReport;
    expect(report.status).toBe('succeeded');
    expect(report.runs).toEqual([]);
  });

  it('schedule add keeps the schedule but warns that its runs would fail', async () => {
    const r = await ws.run(['schedule', 'add', 'typo', '--cron', '0 3 * * *']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^schedule \d+ added/);
    expect(r.stderr.trim()).toMatch(/^flowdeck: warning: schedule \d+: a run would fail now: flow "typo": no element matched groups \[f10\]/);
    const ok = await ws.run(['schedule', 'add', 'meant', '--cron', '0 3 * * *']);
    expect(ok.stderr).toBe('');
  });
});
