import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db';
import { getElement, listGroups, loadInventory, upsertElement, upsertGroup, saveInventory } from '../store/inventory-queries';
import { importInventoryFiles, listSources } from '../store/inventory-source-queries';
import { inventoryDocumentSchema } from '../../src-shared/domain/inventory';
import { parseInventorySource, type InventoryFormat } from './detect';
import { fixture } from './test-support';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowdeck-merge-'));
  db = openDb(join(dir, 'flowdeck.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Imports `text` as the file `source` (as `flowdeck inventory import` does), through SQLite. */
function imp(source: string, text: string, format?: InventoryFormat) {
  return importInventoryFiles(db, [{ source, ...parseInventorySource(text, source, format) }]);
}

const el = (id: string) => getElement(db, id);
const group = (name: string) => listGroups(db).find((g) => g.name === name);

describe('importing files that add up', () => {
  it('adds everything the first time, and the same file again changes nothing', () => {
    const text = fixture('hosts.ini');
    const first = imp('/inv/hosts.ini', text);
    const n = parseInventorySource(text, 'hosts.ini').doc;
    // Its `localhost` is the built-in element, which the file updates (transport local already).
    expect(first.updated).toEqual(['element:localhost']);
    expect(first.added).toHaveLength(n.elements.length + n.groups.length - 1);
    expect(first.added).toContain('element:web01.example.com');
    const stored = loadInventory(db);
    const again = imp('/inv/hosts.ini', text);
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toHaveLength(n.elements.length + n.groups.length);
    expect(loadInventory(db)).toEqual(stored);
  });

  it('an element in f10 from one file and f50 from another is in both; a variable both set comes from the later file', () => {
    imp('/inv/a.ini', '[f10]\nweb1 role=front\n[f10:vars]\nn=2\n');
    const r = imp('/inv/b.ini', '[f50]\nweb1 role=back size=3\n[f50:vars]\nn=5\n');
    expect(el('web1')).toMatchObject({ groups: ['f10', 'f50'], context: { role: 'back', size: 3 } });
    expect(r.updated).toEqual(['element:web1']);
    expect(r.added).toEqual(['group:f50']);
    // Re-importing the first file keeps the second file's word: b.ini was imported later.
    imp('/inv/a.ini', '[f10]\nweb1 role=front\n[f10:vars]\nn=2\n');
    expect(el('web1')).toMatchObject({ groups: ['f10', 'f50'], context: { role: 'back', size: 3 } });
    expect(listSources(db).map((s) => s.source)).toEqual(['/inv/a.ini', '/inv/b.ini']);
  });

  it("re-importing a file takes back what it no longer says, and only that; an element no file lists is kept and reported", () => {
    imp('/inv/a.ini', '[f10]\nweb1 role=front\nweb2 role=front\n[f10:vars]\nx=1\ny=2\n');
    imp('/inv/b.ini', '[f50]\nweb2 size=3\n');
    const r = imp('/inv/a.ini', '[f10]\nweb1 role=front\n[f10:vars]\nx=1\n');
    expect(group('f10')?.vars).toEqual({ x: 1 });
    // web2 left f10 but is still in b.ini's f50, with b.ini's variable.
    expect(el('web2')).toMatchObject({ groups: ['f50'], context: { size: 3 } });
    expect(r.left).toEqual([]);
    const r2 = imp('/inv/b.ini', '[f50]\n');
    expect(el('web2')).toMatchObject({ id: 'web2', host: 'web2', groups: [], context: {} });
    expect(r2.left).toEqual(['element:web2']);
    expect(r2.updated).toEqual(['element:web2']);
    // Said once, when it happens.
    expect(imp('/inv/b.ini', '[f50]\n').left).toEqual([]);
  });

  it('a group connection setting of one file reaches a member listed by another, as with ansible-inventory -i a -i b', () => {
    imp('/inv/a.ini', '[web]\nweb1\n[web:vars]\nansible_user=deploy\nansible_port=2200\n');
    imp('/inv/b.ini', '[web]\nweb2\n[extra]\nweb2 ansible_port=2201\n');
    expect(el('web2')).toMatchObject({ user: 'deploy', port: 2201, groups: ['extra', 'web'] });
  });

  it('an ssh config import adds to an Ansible import instead of wiping its groups or context', () => {
    imp('/inv/hosts.ini', '[web]\nweb1 role=front\n');
    const r = imp('/home/me/.ssh/config', 'Host web1\n  HostName 10.9.9.9\n  User deploy\n', 'ssh-config');
    expect(el('web1')).toMatchObject({ host: '10.9.9.9', user: 'deploy', groups: ['web'], context: { role: 'front' } });
    expect(r.updated).toEqual(['element:web1']);
  });

  it('merges profiles by id across files', () => {
    imp('/inv/a.yaml', 'profiles:\n  - { id: pg, port: 5432, context: { a: 1 } }\n');
    const r = imp('/inv/b.yaml', 'profiles:\n  - { id: pg, user: postgres }\n  - { id: redis }\n');
    expect(loadInventory(db).profiles).toEqual([
      { id: 'pg', port: 5432, user: 'postgres', context: { a: 1 } },
      { id: 'redis', context: {} },
    ]);
    expect(r.added).toEqual(['profile:redis']);
    expect(r.updated).toEqual(['profile:pg']);
  });

  it('refuses groups that nest too deep only once two files are put together, writing nothing', () => {
    const chain = (from: number, to: number): string =>
      Array.from({ length: to - from }, (_, i) => `[g${from + i}:children]\ng${from + i + 1}\n`).join('') + `[g${to}]\nh${to}\n`;
    imp('/inv/a.ini', chain(0, 40));
    const before = loadInventory(db);
    expect(() => imp('/inv/b.ini', chain(40, 80))).toThrow(/with this import, .*64/);
    expect(loadInventory(db)).toEqual(before);
    expect(listSources(db)).toHaveLength(1);
  });
});

describe('hand edits win over imports', () => {
  const file = '[web]\nweb1 ansible_port=2200 role=front tier=1\n[web:vars]\nx=1\n';

  it('a field, a variable and a membership edited in Flowdeck stay so when the file is imported again, changed or not', () => {
    imp('/inv/a.ini', file);
    const e = el('web1');
    if (!e) throw new Error('web1 missing');
    upsertElement(db, { ...e, port: 2300, groups: [...e.groups, 'mine'], context: { role: 'edge', tier: 1 }, credential: 'ops-key' });
    const g = group('web');
    if (g) upsertGroup(db, { ...g, vars: { x: 1, hand: true } });
    const r = imp('/inv/a.ini', '[web]\nweb1 ansible_port=2222 role=back tier=2\n[web:vars]\nx=2\n');
    expect(el('web1')).toMatchObject({ port: 2300, credential: 'ops-key', groups: ['web', 'mine'], context: { role: 'edge', tier: 2 } });
    expect(group('web')?.vars).toEqual({ x: 2, hand: true });
    expect(r.handKept).toEqual([{ key: 'element:web1', fields: ['port', 'context.role'] }]);
    // A value the file now agrees with is no conflict, and a variable the hand removed stays removed.
    const e2 = el('web1');
    if (!e2) throw new Error('web1 missing');
    upsertElement(db, { ...e2, context: { role: 'edge' } });
    const r2 = imp('/inv/a.ini', '[web]\nweb1 ansible_port=2300 role=back tier=3\n[web:vars]\nx=2\n');
    expect(el('web1')?.context).toEqual({ role: 'edge' });
    expect(r2.handKept).toEqual([{ key: 'element:web1', fields: ['context.role', 'context.tier'] }]);
  });

  it('a group the hand took an element out of is not given back by the file', () => {
    imp('/inv/a.ini', '[web]\nweb1\n[db]\nweb1\n');
    const e = el('web1');
    if (!e) throw new Error('web1 missing');
    upsertElement(db, { ...e, groups: ['web'] });
    imp('/inv/a.ini', '[web]\nweb1\n[db]\nweb1\n');
    expect(el('web1')?.groups).toEqual(['web']);
  });

  it('an element disabled in Flowdeck stays disabled', () => {
    imp('/inv/a.ini', file);
    const e = el('web1');
    if (!e) throw new Error('web1 missing');
    upsertElement(db, { ...e, enabled: false });
    imp('/inv/a.ini', file);
    expect(el('web1')?.enabled).toBe(false);
  });

  it('an inventory stored before files were tracked: the import wins for what it states, the rest is kept', () => {
    saveInventory(
      db,
      inventoryDocumentSchema.parse({
        groups: [{ name: 'web', vars: { old: 1 } }, { name: 'mine', vars: { kept: true } }],
        elements: [
          { id: 'web1', name: 'web1', host: 'old-host', port: 2200, credential: 'ops-key', groups: ['web', 'old-group'], context: { stale: 1 }, enabled: false },
          { id: 'keep', name: 'keep', host: 'keep' },
        ],
      }),
    );
    const r = imp('/inv/h.ini', '[web]\nweb1 ansible_host=10.0.0.1 role=front\nweb2\n[web:vars]\nnew=2\n');
    expect(el('web1')).toEqual({
      id: 'web1',
      name: 'web1',
      host: '10.0.0.1',
      port: 2200,
      credential: 'ops-key',
      transport: 'ssh',
      groups: ['web'],
      context: { role: 'front' },
      enabled: false,
    });
    expect(el('keep')).toMatchObject({ host: 'keep', groups: [] });
    expect(group('web')?.vars).toEqual({ new: 2 });
    expect(group('mine')?.vars).toEqual({ kept: true });
    expect(r.added).toEqual(['element:web2']);
    expect(r.updated.sort()).toEqual(['element:web1', 'group:web']);
  });
});
