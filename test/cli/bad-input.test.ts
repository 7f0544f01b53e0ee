import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';

describe('bad input: one clear line naming the place, a non-zero exit, nothing half-written', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    const ok = ws.file('ok.yaml', 'id: ok\nname: ok\ntargets: { elements: [box] }\nsteps:\n  - { id: a, run: echo ok }\n');
    expect((await ws.run(['flow', 'import', ok])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    return lines[0] as string;
  };
  const flowIds = async (): Promise<string[]> => (await ws.json<Array<{ id: string }>>(['flow', 'list', '--json'])).map((f) => f.id);

  it('invalid YAML names file:line:column', async () => {
    const f = ws.file('bad-yaml.yaml', 'id: x\nname: x\nsteps:\n  - { id: a, run: echo\n');
    const r = await ws.run(['flow', 'import', f]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(await flowIds()).toEqual(['ok']);
  });

  it('an unknown step kind names the step and its line', async () => {
    const f = ws.file('kind.yaml', 'id: k\nname: k\nsteps:\n  - id: a\n    run: echo\n  - id: b\n    shell: echo\n');
    const r = await ws.run(['flow', 'import', f]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/kind\.yaml:7:5: steps\[1\]: unknown step kind "shell"/);
    expect(await flowIds()).toEqual(['ok']);
  });

  it('an unknown child flow is refused at import, with nothing saved', async () => {
    const f = ws.file('child.yaml', 'id: p\nname: p\nsteps:\n  - { id: c, flow: nowhere }\n');
    const r = await ws.run(['flow', 'import', f]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/unknown flow "nowhere"/);
    expect(await flowIds()).toEqual(['ok']);
  });

  it('a cycle of child flows is refused at import, even across files, with nothing saved', async () => {
    const a = ws.file('f1.yaml', 'id: f1\nname: f1\nsteps:\n  - { id: call, flow: f2 }\n');
    const b = ws.file('f2.yaml', 'id: f2\nname: f2\nsteps:\n  - { id: back, flow: f1 }\n');
    const r = await ws.run(['flow', 'import', a, b]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/cycle of child flows: f1 -> f2 -> f1/);
    expect(await flowIds()).toEqual(['ok']);
  });

  it('flow validate reports the same errors and writes nothing', async () => {
    const r = await ws.run(['flow', 'validate', ws.path('kind.yaml')]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/kind\.yaml:7:5/);
    const good = await ws.run(['flow', 'validate', ws.file('v.yaml', 'id: v\nname: v\nsteps:\n  - { run: echo }\n')]);
    expect(good.code, good.stderr).toBe(0);
    expect(await flowIds()).toEqual(['ok']);
  });

  it('an undefined template variable fails the step with a message naming it, never an empty string', async () => {
    const f = ws.file('tpl.yaml', 'id: tpl\nname: tpl\ntargets: { elements: [box] }\nsteps:\n  - { id: a, run: "echo {{ nope }}" }\n  - { id: b, run: "echo {{ element.context.missing }}" }\n');
    expect((await ws.run(['flow', 'import', f])).code).toBe(0);
    const r = await ws.run(['run', 'tpl', '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.runs[0]).toMatchObject({ step: 'a', status: 'failed' });
    expect(rep.runs[0]?.error).toMatch(/nope/);
    const logs = await ws.run(['logs', String(rep.id), '--step', 'a']);
    expect(logs.stdout).toMatch(/nope/);
  });

  it('an unknown element is refused before anything runs', async () => {
    const before = (await ws.json<unknown[]>(['executions', 'list', '--json'])).length;
    const r = await ws.run(['run', 'ok', '--elements', 'box,ghost']);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/unknown element "ghost"/);
    expect(await ws.json<unknown[]>(['executions', 'list', '--json'])).toHaveLength(before);
  });

  it('an unknown flow is refused', async () => {
    const r = await ws.run(['run', 'nope']);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toBe('flowdeck: unknown flow "nope"');
  });

  it('a malformed inventory line names file:line and imports nothing', async () => {
    const f = ws.file('hosts.ini', '[web]\nweb1 ansible_host=127.0.0.1\nweb2 ansible_port\n');
    const r = await ws.run(['inventory', 'import', f]);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/hosts\.ini:3: /);
    const els = await ws.json<Array<{ id: string }>>(['inventory', 'list', '--json']);
    expect(els.map((e) => e.id).sort()).toEqual(['box', 'localhost']);
  });

  it('--help works and touches no database', async () => {
    const r = await ws.run(['--help'], { FLOWDECK_DB: ws.path('never/created.db') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: flowdeck/);
    expect(r.stdout).toMatch(/run/);
  });
});
