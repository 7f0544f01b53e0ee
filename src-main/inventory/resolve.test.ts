import { describe, expect, it } from 'vitest';
import { inventoryDocumentSchema, type InventoryDocument } from '../../src-shared/domain/inventory';
import { checkInventoryReferences } from './references';
import { expandGroups, parentsIndex, resolveElement, resolveElements } from './resolve';

const doc: InventoryDocument = inventoryDocumentSchema.parse({
  profiles: [{ id: 'postgres', port: 5432, user: 'postgres', credential: 'pg-cred', context: { layer: 'profile', pg: { version: 15, port: 5432 }, tags: ['p'] } }],
  groups: [
    { name: 'prod', vars: { layer: 'parent', 'pg.version': 16, 'backup.enabled': true, tags: ['parent'] }, children: ['db'] },
    { name: 'db', vars: { layer: 'child', 'backup.window': '02:00', tags: ['child1', 'child2'] } },
    { name: 'eu', vars: { region: 'eu', layer: 'eu' } },
  ],
  elements: [
    { id: 'db1', name: 'db1', host: 'db1', profile: 'postgres', groups: ['db'], context: { 'pg.port': 6432 } },
    { id: 'db2', name: 'db2', host: 'db2', profile: 'postgres', groups: ['db', 'eu'], user: 'admin', port: 2222, context: { layer: 'element' } },
    { id: 'lone', name: 'lone', host: 'lone', hostKeyPolicy: 'accept-new', transport: 'local', groups: ['ghost'], profile: 'nope' },
  ],
});

describe('resolveElements', () => {
  const [db1, db2, lone] = resolveElements(doc);

  it('layers profile < parent group < child group < element', () => {
    expect(db1?.groups).toEqual(['prod', 'db']);
    expect(db1?.context).toEqual({
      layer: 'child',
      pg: { version: 16, port: 6432 },
      backup: { enabled: true, window: '02:00' },
      tags: ['child1', 'child2'],
    });
    expect(db2?.groups).toEqual(['prod', 'db', 'eu']);
    expect(db2?.context.layer).toBe('element');
    expect(db2?.context.region).toBe('eu');
  });

  it('replaces arrays instead of merging them', () => {
    const withList = resolveElements({ ...doc, elements: [{ ...doc.elements[0]!, context: { tags: ['own'] } }] });
    expect(withList[0]?.context.tags).toEqual(['own']);
  });

  it('takes port, user and credential from the profile only when the element has none', () => {
    expect(db1).toMatchObject({ port: 5432, user: 'postgres', credential: 'pg-cred', hostKeyPolicy: 'strict', profile: 'postgres' });
    expect(db2).toMatchObject({ port: 2222, user: 'admin', credential: 'pg-cred' });
  });

  it('defaults port 22 and strict host keys, and resolves dangling names', () => {
    expect(lone).toEqual({
      id: 'lone',
      name: 'lone',
      host: 'lone',
      port: 22,
      transport: 'local',
      hostKeyPolicy: 'accept-new',
      profile: 'nope',
      groups: ['ghost'],
      context: {},
      enabled: true,
    });
    expect(lone && 'user' in lone).toBe(false);
  });

  it('resolveElement gives the same answer for one element', () => {
    const groups = new Map(doc.groups.map((g) => [g.name, g]));
    const profiles = new Map(doc.profiles.map((p) => [p.id, p]));
    expect(resolveElement(doc.elements[1]!, groups, profiles)).toEqual(db2);
  });

  it('survives cycles in children', () => {
    const cyc = inventoryDocumentSchema.parse({
      groups: [
        { name: 'a', vars: { x: 'a' }, children: ['b'] },
        { name: 'b', vars: { x: 'b' }, children: ['a'] },
        { name: 'self', children: ['self'] },
      ],
      elements: [{ id: 'e', name: 'e', host: 'e', groups: ['b', 'self'] }],
    });
    const [e] = resolveElements(cyc);
    expect(e?.groups).toEqual(['a', 'b', 'self']);
    expect(e?.context).toEqual({ x: 'b' });
  });
});

describe('expandGroups', () => {
  it('puts the farthest ancestor first and keeps the first position of a repeat', () => {
    // all > prod > web, all > eu, web is in prod and eu: all is two levels up, prod and eu one.
    const parents = parentsIndex([
      { name: 'all', vars: {}, children: ['prod', 'eu'] },
      { name: 'eu', vars: {}, children: ['web'] },
      { name: 'prod', vars: {}, children: ['web', 'db'] },
    ]);
    expect(expandGroups(['web'], parents)).toEqual(['all', 'eu', 'prod', 'web']);
    expect(expandGroups(['web', 'db', 'prod'], parents)).toEqual(['all', 'eu', 'prod', 'web', 'db']);
    expect(expandGroups(['ghost'], parents)).toEqual(['ghost']);
  });
});

describe('checkInventoryReferences', () => {
  it('names unknown profiles, groups, child groups and loops', () => {
    const bad = inventoryDocumentSchema.parse({
      groups: [
        { name: 'a', children: ['b', 'missing'] },
        { name: 'b', children: ['a'] },
      ],
      elements: [{ id: 'e', name: 'e', host: 'e', groups: ['a', 'ghost'], profile: 'nope' }],
    });
    expect(checkInventoryReferences(bad)).toEqual([
      'element "e": unknown profile "nope"',
      'element "e": unknown group "ghost"',
      'group "a": unknown child group "missing"',
      'group "a": its children lead back to it (a -> b -> a); the loop is ignored',
      'group "b": its children lead back to it (b -> a -> b); the loop is ignored',
    ]);
    expect(checkInventoryReferences(doc)).toEqual(['element "lone": unknown profile "nope"', 'element "lone": unknown group "ghost"']);
  });
});
