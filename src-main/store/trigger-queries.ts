import type { Db } from './db';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { TriggerSpec, TriggerView } from '../../src-shared/domain/triggers';

interface Row {
  id: string;
  flow_id: string;
  name: string | null;
  params: string;
  allow_params: string;
  created_at: number;
  last_used_at: number | null;
  last_execution_id: number | null;
}

/** Every column but the token's hash, which never leaves the store except to be compared. */
const COLUMNS = 'id, flow_id, name, params, allow_params, created_at, last_used_at, last_execution_id';

const triggerPath = (id: string): string => `/api/triggers/${id}`;

function fromRow(r: Row): TriggerView {
  return {
    id: r.id,
    flow: r.flow_id,
    name: r.name,
    path: triggerPath(r.id),
    params: JSON.parse(r.params) as Record<string, JsonValue>,
    allowParams: JSON.parse(r.allow_params) as string[],
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    lastExecutionId: r.last_execution_id,
  };
}

/** Stores a trigger with the SHA-256 of its token (the token itself is never stored). */
export function insertTrigger(db: Db, id: string, spec: TriggerSpec, tokenSha256: Buffer): TriggerView {
  db.prepare(
    `INSERT INTO http_triggers (id, flow_id, name, token_sha256, params, allow_params, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, spec.flow, spec.name ?? null, tokenSha256, JSON.stringify(spec.params), JSON.stringify(spec.allowParams), Date.now());
  return getTrigger(db, id) as TriggerView;
}

function getTrigger(db: Db, id: string): TriggerView | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM http_triggers WHERE id = ?`).get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** The trigger and the hash its token must match, for the HTTP route only. */
export function triggerForAuth(db: Db, id: string): { trigger: TriggerView; tokenSha256: Buffer } | undefined {
  const row = db.prepare(`SELECT ${COLUMNS}, token_sha256 FROM http_triggers WHERE id = ?`).get(id) as (Row & { token_sha256: Buffer }) | undefined;
  return row ? { trigger: fromRow(row), tokenSha256: row.token_sha256 } : undefined;
}

/** Oldest first. */
export function listTriggers(db: Db): TriggerView[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM http_triggers ORDER BY created_at, id`).all() as Row[]).map(fromRow);
}

/** Its executions stay, their trigger id cleared (as a removed schedule's are). */
export function deleteTrigger(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM http_triggers WHERE id = ?').run(id).changes > 0;
}

export function markTriggerUsed(db: Db, id: string, executionId: number): void {
  db.prepare('UPDATE http_triggers SET last_used_at = ?, last_execution_id = ? WHERE id = ?').run(Date.now(), executionId, id);
}
