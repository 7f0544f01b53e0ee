import type { Db } from './db';
import type { FlowDocument, TaskDocument } from '../../src-shared/domain/flow';
import type { FlowListItem } from '../../src-shared/ipc/contract';

export interface StoredFlow {
  id: string;
  name: string;
  version: number;
  document: FlowDocument;
  source: string;
  createdAt: number;
  updatedAt: number;
}

export type { FlowListItem } from '../../src-shared/ipc/contract';

/**
 * Saves a flow; a new version only when the document changed, so re-importing the same
 * file keeps the version number stable and executions keep pointing at what they ran.
 */
export function saveFlow(db: Db, doc: FlowDocument, source: string): { version: number; changed: boolean } {
  return db.transaction(() => {
    const now = Date.now();
    const json = JSON.stringify(doc);
    const cur = db
      .prepare(
        `SELECT f.current_version AS version, v.document AS document
         FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.current_version WHERE f.id = ?`,
      )
      .get(doc.id) as { version: number; document: string } | undefined;
    if (cur && cur.document === json) return { version: cur.version, changed: false };
    const version = cur ? cur.version + 1 : 1;
    if (cur) {
      db.prepare('UPDATE flows SET name = ?, current_version = ?, updated_at = ? WHERE id = ?').run(doc.name, version, now, doc.id);
    } else {
      db.prepare('INSERT INTO flows (id, name, current_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        doc.id,
        doc.name,
        version,
        now,
        now,
      );
    }
    db.prepare('INSERT INTO flow_versions (flow_id, version, document, source, created_at) VALUES (?, ?, ?, ?, ?)').run(
      doc.id,
      version,
      json,
      source,
      now,
    );
    return { version, changed: true };
  })();
}

export function getFlow(db: Db, id: string, version?: number): StoredFlow | undefined {
  const row = db
    .prepare(
      `SELECT f.id, f.name, v.version, v.document, v.source, f.created_at, f.updated_at
       FROM flows f JOIN flow_versions v ON v.flow_id = f.id
       WHERE f.id = ? AND v.version = COALESCE(?, f.current_version)`,
    )
    .get(id, version ?? null) as
    | { id: string; name: string; version: number; document: string; source: string; created_at: number; updated_at: number }
    | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    document: JSON.parse(row.document) as FlowDocument,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listFlows(db: Db): FlowListItem[] {
  const rows = db
    .prepare(
      `SELECT f.id, f.name, f.current_version AS version, v.document, f.updated_at
       FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.current_version ORDER BY f.id`,
    )
    .all() as Array<{ id: string; name: string; version: number; document: string; updated_at: number }>;
  return rows.map((r) => {
    const doc = JSON.parse(r.document) as FlowDocument;
    return { id: r.id, name: r.name, version: r.version, mode: doc.mode, steps: doc.steps.length, updatedAt: r.updated_at };
  });
}

/** Every flow's current document and version, read in one query (cycle checks, a run's child flows). */
export function currentFlows(db: Db): Map<string, { doc: FlowDocument; version: number }> {
  const rows = db
    .prepare(
      `SELECT f.id, f.current_version AS version, v.document FROM flows f
       JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.current_version`,
    )
    .all() as Array<{ id: string; version: number; document: string }>;
  return new Map(rows.map((r) => [r.id, { doc: JSON.parse(r.document) as FlowDocument, version: r.version }]));
}

export function saveTask(db: Db, task: TaskDocument): void {
  db.prepare(
    `INSERT INTO tasks (id, name, document, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, document = excluded.document, updated_at = excluded.updated_at`,
  ).run(task.id, task.name, JSON.stringify(task), Date.now());
}

export function getTask(db: Db, id: string): TaskDocument | undefined {
  const row = db.prepare('SELECT document FROM tasks WHERE id = ?').get(id) as { document: string } | undefined;
  return row ? (JSON.parse(row.document) as TaskDocument) : undefined;
}

export function listTasks(db: Db): TaskDocument[] {
  return (db.prepare('SELECT document FROM tasks ORDER BY id').all() as Array<{ document: string }>).map(
    (r) => JSON.parse(r.document) as TaskDocument,
  );
}
