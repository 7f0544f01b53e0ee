import type { Db } from './db';
import type { Element, Group, InventoryDocument, JsonObject, Profile } from '../../src-shared/domain/inventory';

interface ElementRow {
  id: string;
  name: string;
  host: string;
  port: number | null;
  user: string | null;
  transport: 'ssh' | 'local';
  credential: string | null;
  jump: string | null;
  identity_file: string | null;
  host_key_policy: 'strict' | 'accept-new' | null;
  zone: string | null;
  profile: string | null;
  groups: string;
  context: string;
  enabled: number;
}

function rowToElement(r: ElementRow): Element {
  const e: Element = {
    id: r.id,
    name: r.name,
    host: r.host,
    transport: r.transport,
    groups: JSON.parse(r.groups) as string[],
    context: JSON.parse(r.context) as JsonObject,
    enabled: r.enabled === 1,
  };
  if (r.port !== null) e.port = r.port;
  if (r.user !== null) e.user = r.user;
  if (r.credential !== null) e.credential = r.credential;
  if (r.jump !== null) e.jump = r.jump;
  if (r.identity_file !== null) e.identityFile = r.identity_file;
  if (r.host_key_policy !== null) e.hostKeyPolicy = r.host_key_policy;
  if (r.zone !== null) e.zone = r.zone;
  if (r.profile !== null) e.profile = r.profile;
  return e;
}

function listElements(db: Db): Element[] {
  return (db.prepare('SELECT * FROM elements ORDER BY id').all() as ElementRow[]).map(rowToElement);
}

export function getElement(db: Db, id: string): Element | undefined {
  const row = db.prepare('SELECT * FROM elements WHERE id = ?').get(id) as ElementRow | undefined;
  return row ? rowToElement(row) : undefined;
}

export function upsertElement(db: Db, e: Element): void {
  db.prepare(
    `INSERT INTO elements (id, name, host, port, user, transport, credential, jump, identity_file, host_key_policy,
                           zone, profile, groups, context, enabled, updated_at)
     VALUES (@id, @name, @host, @port, @user, @transport, @credential, @jump, @identityFile, @hostKeyPolicy,
             @zone, @profile, @groups, @context, @enabled, @now)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
       user = excluded.user, transport = excluded.transport, credential = excluded.credential, jump = excluded.jump,
       identity_file = excluded.identity_file, host_key_policy = excluded.host_key_policy, zone = excluded.zone, profile = excluded.profile,
       groups = excluded.groups, context = excluded.context, enabled = excluded.enabled, updated_at = excluded.updated_at`,
  ).run({
    id: e.id,
    name: e.name,
    host: e.host,
    port: e.port ?? null,
    user: e.user ?? null,
    transport: e.transport,
    credential: e.credential ?? null,
    jump: e.jump ?? null,
    identityFile: e.identityFile ?? null,
    hostKeyPolicy: e.hostKeyPolicy ?? null,
    zone: e.zone ?? null,
    profile: e.profile ?? null,
    groups: JSON.stringify(e.groups),
    context: JSON.stringify(e.context),
    enabled: e.enabled ? 1 : 0,
    now: Date.now(),
  });
}

export function deleteElement(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM elements WHERE id = ?').run(id).changes > 0;
}

export function listGroups(db: Db): Group[] {
  const rows = db.prepare('SELECT name, vars, children FROM groups ORDER BY name').all() as Array<{
    name: string;
    vars: string;
    children: string;
  }>;
  return rows.map((r) => ({ name: r.name, vars: JSON.parse(r.vars) as JsonObject, children: JSON.parse(r.children) as string[] }));
}

export function upsertGroup(db: Db, g: Group): void {
  db.prepare(
    `INSERT INTO groups (name, vars, children) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET vars = excluded.vars, children = excluded.children`,
  ).run(g.name, JSON.stringify(g.vars), JSON.stringify(g.children));
}

function listProfiles(db: Db): Profile[] {
  const rows = db.prepare('SELECT * FROM profiles ORDER BY id').all() as Array<{
    id: string;
    name: string | null;
    port: number | null;
    user: string | null;
    credential: string | null;
    context: string;
  }>;
  return rows.map((r) => {
    const p: Profile = { id: r.id, context: JSON.parse(r.context) as JsonObject };
    if (r.name !== null) p.name = r.name;
    if (r.port !== null) p.port = r.port;
    if (r.user !== null) p.user = r.user;
    if (r.credential !== null) p.credential = r.credential;
    return p;
  });
}

export function upsertProfile(db: Db, p: Profile): void {
  db.prepare(
    `INSERT INTO profiles (id, name, port, user, credential, context) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, port = excluded.port, user = excluded.user,
       credential = excluded.credential, context = excluded.context`,
  ).run(p.id, p.name ?? null, p.port ?? null, p.user ?? null, p.credential ?? null, JSON.stringify(p.context));
}

export function loadInventory(db: Db): InventoryDocument {
  return { profiles: listProfiles(db), groups: listGroups(db), elements: listElements(db) };
}

/** Writes a whole (merged) inventory in one transaction: all of it lands or none. */
export function saveInventory(db: Db, doc: InventoryDocument): void {
  db.transaction(() => {
    for (const p of doc.profiles) upsertProfile(db, p);
    for (const g of doc.groups) upsertGroup(db, g);
    for (const e of doc.elements) upsertElement(db, e);
  })();
}

/** Who still points at a group: elements in it and groups that list it as a child. */
export function groupUsers(db: Db, name: string): { elements: string[]; groups: string[] } {
  const elements = (
    db.prepare(`SELECT id FROM elements WHERE EXISTS (SELECT 1 FROM json_each(elements.groups) j WHERE j.value = ?) ORDER BY id`).all(name) as Array<{ id: string }>
  ).map((r) => r.id);
  const groups = (
    db.prepare(`SELECT name FROM groups WHERE EXISTS (SELECT 1 FROM json_each(groups.children) j WHERE j.value = ?) ORDER BY name`).all(name) as Array<{ name: string }>
  ).map((r) => r.name);
  return { elements, groups };
}

export function deleteGroup(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM groups WHERE name = ?').run(name).changes > 0;
}

export function profileUsers(db: Db, id: string): string[] {
  return (db.prepare('SELECT id FROM elements WHERE profile = ? ORDER BY id').all(id) as Array<{ id: string }>).map((r) => r.id);
}

export function deleteProfile(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM profiles WHERE id = ?').run(id).changes > 0;
}
