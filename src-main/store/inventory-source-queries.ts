// Imported files and what each said (migration 005), and the import that folds them into the
// stored inventory in one transaction.
import type { Db } from './db';
import type { Element, Group, JsonObject, JsonValue, Profile } from '../../src-shared/domain/inventory';
import type { InventoryFormat } from '../inventory/detect';
import { planImport, type ImportPlan, type ImportSnapshot, type NamedLayer } from '../inventory/merge';
import type { ConnectionFields, ElementFields, LayerElement, LayerGroup, SourceLayer } from '../inventory/source-layer';
import { loadInventory, saveInventory } from './inventory-queries';

export interface StoredSource extends NamedLayer {
  id: number;
  format: string;
  importedAt: number;
}

type VarRow = { source_id: number; owner_kind: 'element' | 'group' | 'profile'; owner: string; key: string; value: string };

/** Every imported file with what it said, first imported first (lowest precedence). */
export function listSources(db: Db): StoredSource[] {
  const sources = db.prepare('SELECT id, name, format, ansible, imported_at FROM inventory_sources ORDER BY id').all() as Array<{
    id: number;
    name: string;
    format: string;
    ansible: number;
    imported_at: number;
  }>;
  const byId = new Map<number, StoredSource>();
  const elements = new Map<string, LayerElement>();
  const groups = new Map<string, LayerGroup>();
  const profiles = new Map<string, Profile>();
  for (const s of sources) {
    byId.set(s.id, { id: s.id, source: s.name, format: s.format, importedAt: s.imported_at, layer: { ansible: s.ansible === 1, elements: [], groups: [], profiles: [] } });
  }
  const layerOf = (id: number): SourceLayer => (byId.get(id) as StoredSource).layer;
  for (const r of db.prepare('SELECT source_id, element_id, fields FROM source_elements ORDER BY source_id, position').all() as Array<{ source_id: number; element_id: string; fields: string }>) {
    const e: LayerElement = { id: r.element_id, fields: JSON.parse(r.fields) as ElementFields, groups: [], context: {} };
    layerOf(r.source_id).elements.push(e);
    elements.set(`${r.source_id}\0${r.element_id}`, e);
  }
  for (const r of db.prepare('SELECT source_id, element_id, group_name FROM source_memberships ORDER BY source_id, position').all() as Array<{ source_id: number; element_id: string; group_name: string }>) {
    elements.get(`${r.source_id}\0${r.element_id}`)?.groups.push(r.group_name);
  }
  for (const r of db.prepare('SELECT source_id, group_name, conn, priority FROM source_groups ORDER BY source_id, position').all() as Array<{
    source_id: number;
    group_name: string;
    conn: string;
    priority: number | null;
  }>) {
    const g: LayerGroup = { name: r.group_name, vars: {}, children: [], conn: JSON.parse(r.conn) as ConnectionFields };
    if (r.priority !== null) g.priority = r.priority;
    layerOf(r.source_id).groups.push(g);
    groups.set(`${r.source_id}\0${r.group_name}`, g);
  }
  for (const r of db.prepare('SELECT source_id, parent, child FROM source_children ORDER BY source_id, position').all() as Array<{ source_id: number; parent: string; child: string }>) {
    groups.get(`${r.source_id}\0${r.parent}`)?.children.push(r.child);
  }
  for (const r of db.prepare('SELECT source_id, profile_id, fields FROM source_profiles ORDER BY source_id, position').all() as Array<{ source_id: number; profile_id: string; fields: string }>) {
    const p = { ...(JSON.parse(r.fields) as Omit<Profile, 'context'>), id: r.profile_id, context: {} } as Profile;
    layerOf(r.source_id).profiles.push(p);
    profiles.set(`${r.source_id}\0${r.profile_id}`, p);
  }
  for (const r of db.prepare('SELECT source_id, owner_kind, owner, key, value FROM source_vars ORDER BY source_id, position').all() as VarRow[]) {
    const k = `${r.source_id}\0${r.owner}`;
    const target: JsonObject | undefined = r.owner_kind === 'element' ? elements.get(k)?.context : r.owner_kind === 'group' ? groups.get(k)?.vars : profiles.get(k)?.context;
    if (target) target[r.key] = JSON.parse(r.value) as JsonValue;
  }
  return [...byId.values()];
}

/** Stores what a file says now, in place of what it said before; a new file gets the next id. */
function saveSource(db: Db, name: string, format: string, layer: SourceLayer, now: number): void {
  db.prepare(
    `INSERT INTO inventory_sources (name, format, ansible, imported_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET format = excluded.format, ansible = excluded.ansible, imported_at = excluded.imported_at`,
  ).run(name, format, layer.ansible ? 1 : 0, now);
  const { id } = db.prepare('SELECT id FROM inventory_sources WHERE name = ?').get(name) as { id: number };
  for (const t of ['source_elements', 'source_memberships', 'source_groups', 'source_children', 'source_profiles', 'source_vars']) {
    db.prepare(`DELETE FROM ${t} WHERE source_id = ?`).run(id);
  }
  const vars = db.prepare('INSERT INTO source_vars (source_id, owner_kind, owner, key, value, position) VALUES (?, ?, ?, ?, ?, ?)');
  const putVars = (kind: VarRow['owner_kind'], owner: string, obj: JsonObject): void => {
    Object.entries(obj).forEach(([k, v], i) => vars.run(id, kind, owner, k, JSON.stringify(v), i));
  };
  const el = db.prepare('INSERT INTO source_elements (source_id, element_id, position, fields) VALUES (?, ?, ?, ?)');
  const member = db.prepare('INSERT OR IGNORE INTO source_memberships (source_id, element_id, group_name, position) VALUES (?, ?, ?, ?)');
  layer.elements.forEach((e, i) => {
    el.run(id, e.id, i, JSON.stringify(e.fields));
    e.groups.forEach((g, j) => member.run(id, e.id, g, j));
    putVars('element', e.id, e.context);
  });
  const grp = db.prepare('INSERT INTO source_groups (source_id, group_name, position, conn, priority) VALUES (?, ?, ?, ?, ?)');
  const child = db.prepare('INSERT OR IGNORE INTO source_children (source_id, parent, child, position) VALUES (?, ?, ?, ?)');
  layer.groups.forEach((g, i) => {
    grp.run(id, g.name, i, JSON.stringify(g.conn), g.priority ?? null);
    g.children.forEach((c, j) => child.run(id, g.name, c, j));
    putVars('group', g.name, g.vars);
  });
  const prof = db.prepare('INSERT INTO source_profiles (source_id, profile_id, position, fields) VALUES (?, ?, ?, ?)');
  layer.profiles.forEach((p, i) => {
    const { context, id: pid, ...fields } = p;
    prof.run(id, pid, i, JSON.stringify(fields));
    putVars('profile', pid, context);
  });
}

function loadImportSnapshot(db: Db): ImportSnapshot {
  const snap: ImportSnapshot = { elements: new Map(), groups: new Map(), profiles: new Map() };
  for (const r of db.prepare('SELECT kind, key, value FROM import_snapshot').all() as Array<{ kind: 'element' | 'group' | 'profile'; key: string; value: string }>) {
    if (r.kind === 'element') snap.elements.set(r.key, JSON.parse(r.value) as Element);
    else if (r.kind === 'group') snap.groups.set(r.key, JSON.parse(r.value) as Group);
    else snap.profiles.set(r.key, JSON.parse(r.value) as Profile);
  }
  return snap;
}

function saveImportSnapshot(db: Db, snap: ImportSnapshot): void {
  db.prepare('DELETE FROM import_snapshot').run();
  const put = db.prepare('INSERT INTO import_snapshot (kind, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of snap.elements) put.run('element', k, JSON.stringify(v));
  for (const [k, v] of snap.groups) put.run('group', k, JSON.stringify(v));
  for (const [k, v] of snap.profiles) put.run('profile', k, JSON.stringify(v));
}

export interface ImportFile {
  /** The file's absolute path, or the name an upload is known by. */
  source: string;
  format: InventoryFormat;
  layer: SourceLayer;
}

/**
 * Imports files into the stored inventory: each file's layer replaces what that file said before,
 * the files together are folded into the stored elements, groups and profiles with hand edits
 * kept, all in one transaction (all of it lands or none). A file named twice counts once, last.
 */
export function importInventoryFiles(db: Db, files: readonly ImportFile[], now = Date.now()): ImportPlan {
  return db.transaction(() => {
    const sources = listSources(db);
    const before: NamedLayer[] = sources.map(({ source, layer }) => ({ source, layer }));
    const after = [...before];
    for (const f of files) {
      const at = after.findIndex((l) => l.source === f.source);
      if (at >= 0) after[at] = { source: f.source, layer: f.layer };
      else after.push({ source: f.source, layer: f.layer });
    }
    const plan = planImport({ stored: loadInventory(db), snapshot: loadImportSnapshot(db), before, after, importing: new Set(files.map((f) => f.source)) });
    const latest = new Map(files.map((f) => [f.source, f]));
    for (const f of latest.values()) saveSource(db, f.source, f.format, f.layer, now);
    saveInventory(db, plan.doc);
    saveImportSnapshot(db, plan.snapshot);
    return plan;
  })();
}
