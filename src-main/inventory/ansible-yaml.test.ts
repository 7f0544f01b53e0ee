import { describe, expect, it } from 'vitest';
import { inventoryDocumentSchema } from '../../src-shared/domain/inventory';
import { parseAnsibleYaml } from './ansible-yaml';
import { resolveElements } from './resolve';
import { expectError, fixture } from './test-support';

describe('parseAnsibleYaml on a realistic inventory', () => {
  const doc = parseAnsibleYaml(fixture('hosts.yaml'), 'hosts.yaml');
  const el = (id: string) => doc.elements.find((e) => e.id === id);

  it('reads hosts, nested groups and typed variables', () => {
    expect(() => inventoryDocumentSchema.parse(doc)).not.toThrow();
    expect(doc.elements.map((e) => e.id)).toEqual([
      'bastion.example.com',
      'web01.example.com',
      'web02.example.com',
      'web-canary',
      'db-a',
      'db-b',
      'localhost',
    ]);
    expect(el('web-canary')).toEqual({
      id: 'web-canary',
      name: 'web-canary',
      host: '10.0.1.50',
      port: 2222,
      user: 'ops',
      identityFile: '~/.ssh/deploy_ed25519',
      transport: 'ssh',
      groups: ['all', 'prod', 'web'],
      context: { canary: true, tags: ['edge', 'eu'] },
      enabled: true,
    });
    expect(el('db-a')).toMatchObject({ host: 'db-a', port: 5022, user: 'postgres', context: { role: 'primary', pg: { max_connections: 200 } } });
    expect(el('bastion.example.com')).toMatchObject({ user: 'jump', groups: ['all', 'ungrouped'] });
    expect(el('localhost')).toMatchObject({ transport: 'local', user: 'ops' });
    expect(el('web01.example.com')?.groups).toEqual(['all', 'prod', 'tools', 'web']);
  });

  it('types plain scalars as PyYAML (YAML 1.1) does, like ansible-inventory', () => {
    const d = parseAnsibleYaml(
      'all:\n  hosts:\n    h:\n      a: yes\n      b: y\n      c: 0755\n      d: 1_000\n      e: 12:30\n      f: 1e3\n      g: 1.5e+3\n      h: 2024-01-02\n      i: 2024-01-02 10:20:30\n      j: ~\n      k: Off\n      l: "yes"\n      m: .inf\n',
      'i.yaml',
    );
    expect(d.elements[0]?.context).toEqual({ a: true, b: 'y', c: 493, d: 1000, e: 750, f: '1e3', g: 1500, h: '2024-01-02', i: '2024-01-02T10:20:30', j: null, k: false, l: 'yes', m: '.inf' });
  });

  it('reads a plain string for hosts: as one host, as Ansible does', () => {
    expect(parseAnsibleYaml('web:\n  hosts: w1\n', 'i.yaml').elements.map((e) => [e.id, e.groups])).toEqual([['w1', ['web']]]);
  });

  it('keeps group vars typed and children as nested', () => {
    const groups = Object.fromEntries(doc.groups.map((g) => [g.name, g]));
    expect(groups.all).toEqual({ name: 'all', vars: { dc: 'ams1' }, children: [] });
    expect(groups.prod).toEqual({ name: 'prod', vars: { env: 'prod', http_port: 80 }, children: ['web', 'db'] });
    expect(groups.web?.vars).toEqual({ http_port: 8080 });
    expect(groups.db?.vars).toEqual({});
  });

  it('resolves parents below children', () => {
    const r = resolveElements(doc).find((e) => e.id === 'web02.example.com');
    expect(r?.groups).toEqual(['all', 'prod', 'web']);
    expect(r?.context).toEqual({ dc: 'ams1', env: 'prod', http_port: 8080 });
  });

  it('reads top-level groups without all, and an empty file', () => {
    const doc2 = parseAnsibleYaml('web:\n  hosts:\n    w1:\ndb:\n  hosts:\n    d1: { ansible_port: 2200 }\n', 'i.yaml');
    expect(doc2.elements.map((e) => [e.id, e.groups, e.port])).toEqual([
      ['w1', ['web'], undefined],
      ['d1', ['db'], 2200],
    ]);
    expect(parseAnsibleYaml('', 'i.yaml')).toEqual({ profiles: [], groups: [], elements: [] });
  });
});

describe('parseAnsibleYaml errors', () => {
  const f = 'inv.yaml';
  it('YAML syntax errors are invalid-yaml with line and column', () => {
    const err = expectError(() => parseAnsibleYaml('all:\n  hosts:\n    web1: { a: 1\n  vars: {}\n', f), 'invalid-yaml', { file: f, line: 4, column: 3 });
    expect(err.message).not.toMatch(/\n/);
  });
  it('hosts given as a list', () => {
    expectError(() => parseAnsibleYaml('all:\n  children:\n    web:\n      hosts:\n        - web1\n', f), 'invalid-input', { file: f, line: 4, column: 7 }, /hosts: must be a mapping/);
  });
  it('an unknown group key, at the key', () => {
    expectError(() => parseAnsibleYaml('all:\n  children:\n    web:\n      host:\n        web1:\n', f), 'invalid-input', { file: f, line: 4, column: 7 }, /unknown key "host"/);
  });
  it('a bad connection value, at its key', () => {
    expectError(() => parseAnsibleYaml('all:\n  hosts:\n    web1:\n      ansible_port: 70000\n', f), 'invalid-input', { file: f, line: 4, column: 7 }, /ansible_port/);
  });
  it('a host that cannot be an id, at the host', () => {
    expectError(() => parseAnsibleYaml('all:\n  hosts:\n    ok1:\n    "bad host":\n', f), 'invalid-input', { file: f, line: 4, column: 5 }, /"bad host"/);
  });
  it('a group that is its own child', () => {
    expectError(() => parseAnsibleYaml('web:\n  children:\n    web:\n', f), 'invalid-input', { file: f, line: 3, column: 5 }, /own child/);
  });
});
