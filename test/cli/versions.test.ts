import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';

describe('a fresh install and flow versions', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('runs a flow on the built-in localhost with no inventory imported', async () => {
    const els = await ws.json<Array<{ id: string; transport: string }>>(['inventory', 'list', '--json']);
    expect(els).toEqual([expect.objectContaining({ id: 'localhost', transport: 'local' })]);
    const f = ws.file('hello.yaml', 'id: hello\nname: Hello\ntargets: { elements: [localhost] }\nsteps:\n  - { id: say, run: echo hello from $(hostname) }\n');
    expect((await ws.run(['flow', 'import', f])).code).toBe(0);
    const r = await ws.run(['run', 'hello', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.runs).toEqual([expect.objectContaining({ element: 'localhost', step: 'say', status: 'succeeded', exitCode: 0 })]);
  });

  it('each change is a new version; every execution records the version it ran; re-importing the same file changes nothing', async () => {
    const f = ws.file('v.yaml', '# first\nid: v\nname: V\ntargets: { elements: [localhost] }\nsteps:\n  - { id: a, run: echo one }\n');
    expect((await ws.run(['flow', 'import', f])).stdout).toMatch(/saved as version 1/);
    expect((await ws.run(['flow', 'import', f])).stdout).toMatch(/unchanged \(version 1\)/);
    const first = JSON.parse((await ws.run(['run', 'v', '--json'])).stdout) as ExecutionReport;
    ws.file('v.yaml', '# second\nid: v\nname: V\ntargets: { elements: [localhost] }\nsteps:\n  - { id: a, run: echo two }\n');
    expect((await ws.run(['flow', 'import', f])).stdout).toMatch(/saved as version 2/);
    const second = JSON.parse((await ws.run(['run', 'v', '--json'])).stdout) as ExecutionReport;
    expect([first.flowVersion, second.flowVersion]).toEqual([1, 2]);
    expect((await ws.run(['flow', 'export', 'v', '--version', '1'])).stdout).toContain('# first');
    expect((await ws.run(['flow', 'export', 'v'])).stdout).toContain('echo two');
    const logs = await ws.run(['logs', String(first.id), '--raw']);
    expect(logs.stdout).toBe('one\n');
  });

  it('labels are stored and searchable', async () => {
    const r = await ws.run(['run', 'hello', '--json', '--label', 'ticket=OPS-12', '--label', 'ticket=OPS-13']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    const found = await ws.json<Array<{ id: number }>>(['executions', 'list', '--json', '--label', 'ticket=OPS-13']);
    expect(found.map((e) => e.id)).toEqual([rep.id]);
    const shown = await ws.json<{ labels: Record<string, string[]> }>(['executions', 'show', String(rep.id), '--json']);
    expect(shown.labels).toEqual({ ticket: ['OPS-12', 'OPS-13'] });
  });

  it('history search by flow, status, element, label and time', async () => {
    const failing = ws.file('fails.yaml', 'id: fails\nname: fails\ntargets: { elements: [localhost] }\nsteps:\n  - { id: boom, run: "exit 4" }\n');
    expect((await ws.run(['flow', 'import', failing])).code).toBe(0);
    const bad = JSON.parse((await ws.run(['run', 'fails', '--json', '--label', 'env=prod'])).stdout) as ExecutionReport;
    const ids = async (...args: string[]): Promise<number[]> => (await ws.json<Array<{ id: number }>>(['executions', 'list', '--json', ...args])).map((e) => e.id);
    expect(await ids('--flow', 'fails')).toEqual([bad.id]);
    expect(await ids('--status', 'failed')).toEqual([bad.id]);
    expect(await ids('--label', 'env')).toEqual([bad.id]);
    expect(await ids('--label', 'env=prod', '--status', 'failed', '--element', 'localhost', '--since', '1h')).toEqual([bad.id]);
    expect(await ids('--flow', 'fails', '--until', '1h')).toEqual([]);
    expect(await ids('--element', 'nowhere')).toEqual([]);
    expect((await ids('--since', '2000-01-01')).length).toBeGreaterThan(1);
    const wrong = await ws.run(['executions', 'list', '--since', 'yesterday']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--since "yesterday" is neither an ISO date/time');
  });
});
