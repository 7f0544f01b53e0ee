import { describe, expect, it } from 'vitest';
import { inventoryDocumentSchema, type InventoryDocument } from '../../src-shared/domain/inventory';
import { parseAnsibleIni } from './ansible-ini';
import { parseFlowdeckInventoryYaml, serializeFlowdeckInventoryYaml } from './flowdeck-yaml';
import { expectError, fixture } from './test-support';

const sample = inventoryDocumentSchema.parse({
  profiles: [
    { id: 'postgres', name: 'PostgreSQL', port: 5432, user: 'postgres', credential: 'pg-key', context: { pg: { version: 16 } } },
    { id: 'bare' },
  ],
  groups: [
    { name: 'web', vars: { 'nginx.workers': 4, tier: 'front' } },
    { name: 'prod', vars: { env: 'prod' }, children: ['web', 'db'] },
    { name: 'db' },
  ],
  elements: [
    { id: 'web2', name: 'Web 2', host: '10.0.0.2', groups: ['prod', 'web'], context: { weight: 0.5, tags: ['a', 'b'], note: '0123' } },
    { id: 'db1', name: 'db1', host: 'db1.example.com', profile: 'postgres', groups: ['db'], hostKeyPolicy: 'accept-new', enabled: false },
    { id: 'box', name: 'box', host: 'localhost', transport: 'local' },
    { id: 'web1', name: 'web1', host: 'web1', port: 2222, user: 'deploy', jump: 'bastion', identityFile: '~/.ssh/id', credential: 'ops-key' },
  ],
});

function sorted(doc: InventoryDocument): InventoryDocument {
  const by = <T>(k: (t: T) => string) => (a: T, b: T) => k(a).localeCompare(k(b));
  return {
    profiles: [...doc.profiles].sort(by((p) => p.id)),
    groups: [...doc.groups].sort(by((g) => g.name)),
    elements: [...doc.elements].sort(by((e) => e.id)),
  };
}

describe('Flowdeck YAML', () => {
  it('round-trips: parse(serialize(doc)) is the doc, sorted', () => {
    const text = serializeFlowdeckInventoryYaml(sample);
    expect(parseFlowdeckInventoryYaml(text, 'inv.yaml')).toEqual(sorted(sample));
    expect(serializeFlowdeckInventoryYaml(parseFlowdeckInventoryYaml(text, 'inv.yaml'))).toBe(text);
  });

  it('round-trips an imported Ansible inventory', () => {
    const doc = parseAnsibleIni(fixture('hosts.ini'), 'hosts.ini');
    expect(parseFlowdeckInventoryYaml(serializeFlowdeckInventoryYaml(doc), 'x.yaml')).toEqual(sorted(doc));
  });

  it('writes sorted, without defaults, quoting what would change type', () => {
    const text = serializeFlowdeckInventoryYaml(sample);
    expect(text).toBe(
      [
        'profiles:',
        '  - id: bare',
        '  - id: postgres',
        '    name: PostgreSQL',
        '    port: 5432',
        '    user: postgres',
        '    credential: pg-key',
        '    context:',
        '      pg:',
        '        version: 16',
        'groups:',
        '  - name: db',
        '  - name: prod',
        '    vars:',
        '      env: prod',
        '    children:',
        '      - web',
        '      - db',
        '  - name: web',
        '    vars:',
        '      nginx.workers: 4',
        '      tier: front',
        'elements:',
        '  - id: box',
        '    name: box',
        '    host: localhost',
        '    transport: local',
        '  - id: db1',
        '    name: db1',
        '    host: db1.example.com',
        '    hostKeyPolicy: accept-new',
        '    profile: postgres',
        '    groups:',
        '      - db',
        '    enabled: false',
        '  - id: web1',
        '    name: web1',
        '    host: web1',
        '    port: 2222',
        '    user: deploy',
        '    credential: ops-key',
        '    jump: bastion',
        '    identityFile: ~/.ssh/id',
        '  - id: web2',
        '    name: Web 2',
        '    host: 10.0.0.2',
        '    groups:',
        '      - prod',
        '      - web',
        '    context:',
        '      weight: 0.5',
        '      tags:',
        '        - a',
        '        - b',
        '      note: "0123"',
        '',
      ].join('\n'),
    );
  });

  it('writes an empty inventory so that it is still recognisable', () => {
    const empty = { profiles: [], groups: [], elements: [] };
    expect(serializeFlowdeckInventoryYaml(empty)).toBe('elements: []\n');
    expect(parseFlowdeckInventoryYaml('elements: []\n', 'x.yaml')).toEqual(empty);
    expect(parseFlowdeckInventoryYaml('', 'x.yaml')).toEqual(empty);
    expect(parseFlowdeckInventoryYaml('elements:\ngroups:\n', 'x.yaml')).toEqual(empty);
  });

  it('applies schema defaults on parse', () => {
    const doc = parseFlowdeckInventoryYaml('elements:\n  - { id: e1, name: E1, host: h }\n', 'x.yaml');
    expect(doc.elements[0]).toEqual({ id: 'e1', name: 'E1', host: 'h', transport: 'ssh', groups: [], context: {}, enabled: true });
  });
});

describe('Flowdeck YAML errors point at the offending node', () => {
  const f = 'inv.yaml';
  const text = ['elements:', '  - id: a', '    name: a', '    host: a', '  - { id: b, name: b, host: b }', '  - id: c', '    name: c', '    host: c', '    port: 99999', ''].join('\n');

  it('a value out of range, at its key', () => {
    expectError(() => parseFlowdeckInventoryYaml(text, f), 'invalid-input', { file: f, line: 9, column: 5 }, /^elements\[2\]\.port: must be at most 65535$/);
  });
  it('a value in a flow mapping', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - { id: b, name: b, host: b, transport: winrm }\n', f), 'invalid-input', { file: f, line: 2, column: 32 }, /^elements\[0\]\.transport: must be one of "ssh", "local"$/);
  });
  it('a missing required field, at its mapping', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - id: a\n    name: a\n', f), 'invalid-input', { file: f, line: 2, column: 5 }, /^elements\[0\]\.host: is required$/);
  });
  it('an unknown key, at the key', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - id: a\n    name: a\n    host: a\n    hots: a\n', f), 'invalid-input', { file: f, line: 5, column: 5 }, /unknown key "hots"/);
    expectError(() => parseFlowdeckInventoryYaml('element:\n  - id: a\n', f), 'invalid-input', { file: f, line: 1, column: 1 }, /unknown key "element"/);
  });
  it('the first problem in the file, whatever order the schema checks in', () => {
    const two = 'elements:\n  - id: "bad id"\n    name: ""\n    host: h\n';
    expectError(() => parseFlowdeckInventoryYaml(two, f), 'invalid-input', { file: f, line: 2, column: 5 }, /^elements\[0\]\.id: must start with a letter/);
  });
  it('a whole number where one is needed', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - { id: a, name: a, host: a, port: 22.5 }\n', f), 'invalid-input', { file: f, line: 2, column: 32 }, /port: must be a whole number$/);
  });
  it('a duplicate id', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - { id: a, name: a, host: a }\n  - { id: a, name: b, host: b }\n', f), 'invalid-input', { file: f, line: 3, column: 7 }, /already used by elements\[0\]/);
  });
  it('YAML syntax', () => {
    expectError(() => parseFlowdeckInventoryYaml('elements:\n  - id: a\n   name: b\n', f), 'invalid-yaml', { file: f, line: 3, column: 1 }, /^Sequence item without - indicator$/);
  });
  it('not a mapping', () => {
    expectError(() => parseFlowdeckInventoryYaml('- a\n- b\n', f), 'invalid-input', { file: f, line: 1, column: 1 }, /mapping/);
  });
});
