import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../support/cli';

const inventory = `
groups:
  - { name: patroni, vars: { cluster: main } }
elements:
  - { id: pg1, name: pg1, host: localhost, transport: local, groups: [patroni], context: { patroni_leader: replica, zone: a } }
  - { id: pg2, name: pg2, host: localhost, transport: local, groups: [patroni], context: { patroni_leader: master, zone: b } }
  - { id: pg3, name: pg3, host: localhost, transport: local, groups: [patroni], context: { patroni_leader: replica, zone: b } }
  - { id: web1, name: web1, host: localhost, transport: local, groups: [web] }
`;

function flow(id: string, processing: string): string {
  const body = processing
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `id: ${id}\nname: ${id}\ntargets: { groups: [patroni] }\nprocessing: |\n${body}\nsteps:\n  - { id: s, run: 'true' }\n`;
}

describe('processing scripts in the sandbox, seen through the dry run', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', inventory);
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const plan = async (id: string, processing: string): Promise<{ code: number | null; elements?: string[]; stderr: string }> => {
    const imp = await ws.run(['flow', 'import', ws.file(`${id}.yaml`, flow(id, processing))]);
    expect(imp.code, imp.stderr).toBe(0);
    const r = await ws.run(['run', id, '--dry-run', '--json']);
    if (r.code !== 0) return { code: r.code, stderr: r.stderr };
    return { code: r.code, elements: (JSON.parse(r.stdout) as { elements: string[] }).elements, stderr: r.stderr };
  };

  it("the README's example puts the masters last, the others keep their order", async () => {
    const r = await plan('masters-last', "order_flow_elements(elements, x => x.context.patroni_leader === 'master' ? 1 : 0, false)");
    expect(r.elements).toEqual(['pg1', 'pg3', 'pg2']);
  });

  it('filter_flow_elements keeps the matching elements', async () => {
    const r = await plan('zone-b', "filter_flow_elements(elements, x => x.context.zone === 'b')");
    expect(r.elements).toEqual(['pg2', 'pg3']);
  });

  it('an explicit return decides the list', async () => {
    const r = await plan('explicit', 'return elements.slice().reverse()');
    expect(r.elements).toEqual(['pg3', 'pg2', 'pg1']);
  });

  it('group variables reach the context the script sees', async () => {
    const r = await plan('group-vars', "filter_flow_elements(elements, x => x.context.cluster === 'main' && x.groups.includes('patroni'))");
    expect(r.elements).toEqual(['pg1', 'pg2', 'pg3']);
  });

  it('an endless loop fails with a clear error within a couple of seconds, nothing hangs, nothing is written', async () => {
    const t0 = Date.now();
    const r = await plan('endless', 'while (true) {}');
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/endless-?loop|ran longer than/i);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const real = await ws.run(['run', 'endless']);
    expect(real.code).toBe(1);
    const list = await ws.json<unknown[]>(['executions', 'list', '--json']);
    expect(list).toEqual([]);
  });

  it('a script error names its line and column', async () => {
    const r = await plan('broken', 'const a = 1;\nelements.nope.map(x => x);');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.processing:2:\d+: .*TypeError/);
  });

  it('a Python-looking script gets told how to write it in JavaScript, already at import: it does not compile', async () => {
    const r = await ws.run(['flow', 'import', ws.file('python.yaml', flow('python', "elements.sort(key=lambda x: x['zone'])"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/python\.yaml:\d+:\d+: flow "python" processing: SyntaxError/);
    expect(r.stderr).toMatch(/Python/);
    expect(r.stderr).toMatch(/=>/);
  });
});
