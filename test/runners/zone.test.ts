// An element's zone: read from Flowdeck YAML, kept in SQLite, on the resolved element the
// engine picks a transport by, and written back on export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFlowdeckInventoryYaml, resolveElements, serializeFlowdeckInventoryYaml } from '../../src-main/inventory';
import { openDb } from '../../src-main/store/db';
import { loadInventory, saveInventory } from '../../src-main/store/inventory-queries';
import { Workspace } from '../support/cli';

describe('zone on elements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-zone-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read, stored, resolved and exported; an element without one has none', () => {
    const doc = parseFlowdeckInventoryYaml(
      'elements:\n  - { id: db1, name: db1, host: 10.1.0.5, zone: dc-east }\n  - { id: web1, name: web1, host: 10.2.0.7 }\n',
      'inv.yaml',
    );
    const db = openDb(join(dir, 'f.db'));
    try {
      saveInventory(db, doc);
      const resolved = resolveElements(loadInventory(db));
      expect(resolved.find((e) => e.id === 'db1')?.zone).toBe('dc-east');
      expect(resolved.find((e) => e.id === 'web1')).not.toHaveProperty('zone');
      expect(serializeFlowdeckInventoryYaml(loadInventory(db))).toContain('zone: dc-east');
    } finally {
      db.close();
    }
  });

  it('comes through inventory import from Flowdeck YAML and from an Ansible flowdeck_zone, re-import included', async () => {
    const ws = new Workspace('flowdeck-zone-import-');
    try {
      const yaml = ws.file('inv.yaml', 'elements:\n  - { id: db1, name: db1, host: 10.1.0.5, zone: dc-east }\n');
      const ini = ws.file('hosts.ini', '[far]\nweb1 ansible_host=10.2.0.7\n\n[far:vars]\nflowdeck_zone=dc-west\n');
      for (const f of [yaml, ini, yaml]) expect((await ws.run(['inventory', 'import', f])).code).toBe(0);
      const list = await ws.json<Array<{ id: string; zone?: string; context: Record<string, unknown> }>>(['inventory', 'list', '--json']);
      expect(list.find((e) => e.id === 'db1')?.zone).toBe('dc-east');
      const web1 = list.find((e) => e.id === 'web1');
      expect(web1?.zone).toBe('dc-west');
      expect(web1?.context).not.toHaveProperty('flowdeck_zone');
    } finally {
      ws.dispose();
    }
  });

  it('must be a slug', () => {
    expect(() => parseFlowdeckInventoryYaml('elements:\n  - { id: a, name: a, host: h, zone: "two words" }\n', 'inv.yaml')).toThrow(/elements\[0\]\.zone: must start with a letter or digit/);
  });
});
