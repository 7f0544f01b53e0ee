import type { Db } from './db';
import type { DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookView } from '../../src-shared/domain/webhooks';

interface Row {
  id: number;
  url: string;
  events: string;
  signed: number;
  created_at: number;
  last_status: DeliveryStatus | null;
  last_event: WebhookEvent | null;
  last_execution_id: number | null;
  last_attempts: number | null;
  last_http_status: number | null;
  last_error: string | null;
  last_at: number | null;
}

/** Every column but the secret, which is read only by the process that signs a delivery. */
const COLUMNS = `id, url, events, secret IS NOT NULL AS signed, created_at, last_status, last_event, last_execution_id,
                 last_attempts, last_http_status, last_error, last_at`;

function fromRow(r: Row): WebhookView {
  const last: WebhookDelivery | null =
    r.last_status === null || r.last_event === null || r.last_execution_id === null || r.last_at === null
      ? null
      : {
          status: r.last_status,
          event: r.last_event,
          executionId: r.last_execution_id,
          attempts: r.last_attempts ?? 0,
          httpStatus: r.last_http_status,
          error: r.last_error,
          at: r.last_at,
        };
  return { id: r.id, url: r.url, events: JSON.parse(r.events) as WebhookEvent[], signed: r.signed === 1, createdAt: r.created_at, lastDelivery: last };
}

/** `secret`: the signing secret as the cipher encrypted it, or null for unsigned deliveries. */
export function insertWebhook(db: Db, url: string, events: readonly WebhookEvent[], secret: Buffer | null): WebhookView {
  const info = db.prepare('INSERT INTO webhooks (url, events, secret, created_at) VALUES (?, ?, ?, ?)').run(url, JSON.stringify(events), secret, Date.now());
  return getWebhook(db, Number(info.lastInsertRowid)) as WebhookView;
}

function getWebhook(db: Db, id: number): WebhookView | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM webhooks WHERE id = ?`).get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function listWebhooks(db: Db): WebhookView[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM webhooks ORDER BY id`).all() as Row[]).map(fromRow);
}

export function deleteWebhook(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
}

/** The encrypted signing secret; null when the webhook is unsigned (or gone). */
export function webhookSecretBlob(db: Db, id: number): Buffer | null {
  const row = db.prepare('SELECT secret FROM webhooks WHERE id = ?').get(id) as { secret: Buffer | null } | undefined;
  return row?.secret ?? null;
}

/** Keeps the latest attempt of a delivery; a webhook removed meanwhile is left removed. */
export function recordDelivery(db: Db, id: number, d: WebhookDelivery): void {
  db.prepare(
    `UPDATE webhooks SET last_status = ?, last_event = ?, last_execution_id = ?, last_attempts = ?, last_http_status = ?, last_error = ?, last_at = ?
      WHERE id = ?`,
  ).run(d.status, d.event, d.executionId, d.attempts, d.httpStatus, d.error, d.at, id);
}

/** Whether `owner` runs (or ran) execution `id`: webhooks are sent by the process that runs it, never by one watching it. */
export function executionOwnedBy(db: Db, id: number, owner: { pid: number; host: string }): boolean {
  const row = db.prepare('SELECT owner_pid, owner_host FROM executions WHERE id = ?').get(id) as { owner_pid: number | null; owner_host: string | null } | undefined;
  return row !== undefined && row.owner_pid === owner.pid && row.owner_host === owner.host;
}

/** Elements with a step whose last attempt failed or timed out, in the execution's element order. */
export function failedElements(db: Db, executionId: number): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT r.element_id AS element FROM step_runs r
        WHERE r.execution_id = ? AND r.status IN ('failed', 'timed-out')
          AND r.attempt = (SELECT max(attempt) FROM step_runs s WHERE s.execution_id = r.execution_id AND s.element_id = r.element_id AND s.step_path = r.step_path)`,
    )
    .all(executionId) as Array<{ element: string }>;
  const order = db.prepare('SELECT elements FROM executions WHERE id = ?').get(executionId) as { elements: string } | undefined;
  const planned = order ? (JSON.parse(order.elements) as string[]) : [];
  const failed = new Set(rows.map((r) => r.element));
  return [...planned.filter((e) => failed.has(e)), ...[...failed].filter((e) => !planned.includes(e)).sort()];
}
