import { describe, expect, it } from 'vitest';
import { inventoryDocumentSchema, type InventoryDocument } from '../../src-shared/domain/inventory';
import { parseAnsibleIni } from './ansible-ini';
import { mergeInventory } from './merge';
import { parseSshConfig } from './ssh-config';
import { fixture } from './test-support';

const empty: InventoryDocument = { profiles: [], groups: [], elements: [] };

describe('mergeInventory', () => {
  const imported = parseAnsibleIni(fixture('hosts.ini'), 'hosts.ini');

  it('adds everything the first time', () => {
    const r = mergeInventory(empty, imported);
    expect(r.doc).toEqual(imported);
    expect(r.added).toContain('element:web01.example.com');
    expect(r.added).toContain('group:prod');
    expect(r.added).toHaveLength(imported.elements.length + imported.groups.length);
    expect(r.updated).toEqual([]);
  });

  it('merging twice gives the same document, no duplicates, all unchanged', () => {
    const once = mergeInventory(empty, imported).doc;
    const twice = mergeInventory(once, imported);
    expect(twice.doc).toEqual(once);
    expect(twice.added).toEqual([]);
    expect(twice.updated).toEqual([]);
    expect(twice.unchanged).toHaveLength(imported.elements.length + imported.groups.length);
    const ids = twice.doc.elements.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('updates imported fields, replaces groups, keeps what Flowdeck added', () => {
    const stored = inventoryDocumentSchema.parse({
      profiles: [{ id: 'postgres', port: 5432 }],
      groups: [{ name: 'web', vars: { old: 1 } }, { name: 'mine', vars: { kept: true } }],
      elements: [
        { id: 'web1', name: 'web1', host: 'old-host', port: 2200, credential: 'ops-key', profile: 'postgres', groups: ['web', 'old-group'], context: { stale: 1 }, enabled: false },
        { id: 'keep', name: 'keep', host: 'keep' },
      ],
    });
    const incoming = parseAnsibleIni('[web]\nweb1 ansible_host=10.0.0.1 role=front\nweb2\n[web:vars]\nnew=2\n', 'h.ini');
    const r = mergeInventory(stored, incoming);
    const web1 = r.doc.elements.find((e) => e.id === 'web1');
    expect(web1).toEqual({
      id: 'web1',
      name: 'web1',
      host: '10.0.0.1',
      port: 2200,
      credential: 'ops-key',
      profile: 'postgres',
      transport: 'ssh',
      groups: ['web'],
      context: { role: 'front' },
      enabled: false,
    });
    expect(r.doc.elements.map((e) => e.id)).toEqual(['web1', 'keep', 'web2']);
    expect(r.doc.groups).toEqual([
      { name: 'web', vars: { new: '2' }, children: [] },
      { name: 'mine', vars: { kept: true }, children: [] },
    ]);
    expect(r.added).toEqual(['element:web2']);
    expect(r.updated.sort()).toEqual(['element:web1', 'group:web']);
    expect(mergeInventory(r.doc, incoming).doc).toEqual(r.doc);
  });

  it('an ssh config import does not wipe groups or context from an Ansible import', () => {
    const first = mergeInventory(empty, parseAnsibleIni('[web]\nweb1 role=front\n', 'h.ini')).doc;
    const r = mergeInventory(first, parseSshConfig('Host web1\n  HostName 10.9.9.9\n  User deploy\n', 'config'));
    expect(r.doc.elements[0]).toMatchObject({ host: '10.9.9.9', user: 'deploy', groups: ['web'], context: { role: 'front' } });
    expect(r.updated).toEqual(['element:web1']);
  });

  it('merges profiles by id and does not mutate its inputs', () => {
    const a = inventoryDocumentSchema.parse({ profiles: [{ id: 'pg', port: 5432, context: { a: 1 } }] });
    const b = inventoryDocumentSchema.parse({ profiles: [{ id: 'pg', user: 'postgres' }, { id: 'redis' }] });
    const before = JSON.stringify([a, b]);
    const r = mergeInventory(a, b);
    expect(r.doc.profiles).toEqual([
      { id: 'pg', port: 5432, user: 'postgres', context: { a: 1 } },
      { id: 'redis', context: {} },
    ]);
    expect(r.added).toEqual(['profile:redis']);
    expect(r.updated).toEqual(['profile:pg']);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});
