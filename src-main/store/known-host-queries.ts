import type { Db } from './db';
import { cached } from './statements';

export interface KnownHostRow {
  host: string;
  port: number;
  keyType: string;
  key: string;
  fingerprint: string;
  addedAt: number;
}

export function listKnownHosts(db: Db): KnownHostRow[] {
  return db
    .prepare('SELECT host, port, key_type AS keyType, key, fingerprint, added_at AS addedAt FROM known_hosts ORDER BY host, port, key_type')
    .all() as KnownHostRow[];
}

/** Asked for every connection: the statement is prepared once. */
export function knownHostKeys(db: Db, host: string, port: number): KnownHostRow[] {
  return cached(db, 'SELECT host, port, key_type AS keyType, key, fingerprint, added_at AS addedAt FROM known_hosts WHERE host = ? AND port = ?').all(
    host,
    port,
  ) as KnownHostRow[];
}

/** Adds (or replaces, for the same key type) a trusted key; replacing is the operator's explicit act. */
export function trustHostKey(db: Db, r: Omit<KnownHostRow, 'addedAt'>): void {
  db.prepare(
    `INSERT INTO known_hosts (host, port, key_type, key, fingerprint, added_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(host, port, key_type) DO UPDATE SET key = excluded.key, fingerprint = excluded.fingerprint, added_at = excluded.added_at`,
  ).run(r.host, r.port, r.keyType, r.key, r.fingerprint, Date.now());
}

export function forgetHostKeys(db: Db, host: string, port: number): number {
  return db.prepare('DELETE FROM known_hosts WHERE host = ? AND port = ?').run(host, port).changes;
}
