import type { CredentialInfo, CredentialKind } from '../../src-shared/domain/credential';
import { slugProblem } from '../../src-shared/domain/slug';
import { FlowdeckError, formatError } from '../../src-shared/errors';
import type { SecretCipher } from '../secrets/cipher';
import type { CheckedCredential, CredentialMeta, CredentialSecret } from '../secrets/credential-check';
import type { Db } from './db';
import { cached } from './statements';

export type { CredentialSecret } from '../secrets/credential-check';

interface CredentialRow {
  id: string;
  name: string;
  kind: CredentialKind;
  username: string | null;
  secret: Buffer | null;
  meta: string;
  updated_at: number;
}

function invalid(id: string, message: string): FlowdeckError {
  return new FlowdeckError('invalid-input', `credential "${id}": ${message}`);
}

function rowToInfo(r: Omit<CredentialRow, 'secret'>): CredentialInfo {
  const meta = JSON.parse(r.meta) as CredentialMeta;
  const info: CredentialInfo = { id: r.id, name: r.name, kind: r.kind, hasPassphrase: meta.hasPassphrase === true, updatedAt: r.updated_at };
  if (r.username !== null) info.username = r.username;
  if (meta.fingerprint !== undefined) info.fingerprint = meta.fingerprint;
  return info;
}

const INFO_COLUMNS = 'id, name, kind, username, meta, updated_at';

/**
 * Adds or replaces a credential already checked (`checkCredential`: a key must parse with its
 * passphrase), its secret stored encrypted as JSON.
 */
export function saveCredential(db: Db, cipher: SecretCipher, c: CheckedCredential): CredentialInfo {
  const idProblem = slugProblem(c.id);
  if (idProblem) throw new FlowdeckError('invalid-input', `credential id "${c.id}" ${idProblem}`);
  const name = c.name.trim();
  if (name === '') throw invalid(c.id, 'the name is empty');
  const username = c.username !== undefined && c.username.trim() !== '' ? c.username.trim() : null;
  const { secret, meta } = c;

  let blob: Buffer | null = null;
  if (secret) {
    const plain = Buffer.from(JSON.stringify(secret), 'utf8');
    try {
      blob = cipher.encrypt(plain);
    } finally {
      plain.fill(0);
    }
  }
  const now = Date.now();
  db.prepare(
    `INSERT INTO credentials (id, name, kind, username, secret, meta, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, username = excluded.username,
       secret = excluded.secret, meta = excluded.meta, updated_at = excluded.updated_at`,
  ).run(c.id, name, c.kind, username, blob, JSON.stringify(meta), now);
  return rowToInfo({ id: c.id, name, kind: c.kind, username, meta: JSON.stringify(meta), updated_at: now });
}

/** Every credential, by id, without any secret (the `secret` column is not even read). Safe for the renderer. */
export function listCredentials(db: Db): CredentialInfo[] {
  return (db.prepare(`SELECT ${INFO_COLUMNS} FROM credentials ORDER BY id`).all() as Omit<CredentialRow, 'secret'>[]).map(rowToInfo);
}

export function getCredentialInfo(db: Db, id: string): CredentialInfo | undefined {
  const row = db.prepare(`SELECT ${INFO_COLUMNS} FROM credentials WHERE id = ?`).get(id) as Omit<CredentialRow, 'secret'> | undefined;
  return row ? rowToInfo(row) : undefined;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

type SecretRow = Pick<CredentialRow, 'kind' | 'username' | 'secret'>;

function secretRow(db: Db, id: string): SecretRow | undefined {
  return cached(db, 'SELECT kind, username, secret FROM credentials WHERE id = ?').get(id) as SecretRow | undefined;
}

/**
 * How long a decrypted secret stays in the transports' lookup after its last use: long enough
 * that a run's many connections decrypt (and parse) each credential once, short enough that a
 * long-running console does not keep every secret it ever used in memory.
 */
const SECRET_MEMO_MS = 30_000;

/**
 * The transports' lookup: a credential's secret, or undefined when no credential has that id
 * (the connection then reports the missing credential with the element it was meant for).
 * A secret that cannot be decrypted still throws.
 *
 * Each call reads the row; the decrypted secret is reused only while the stored row is the
 * same (kind, user name and encrypted blob), so an edited credential is used at once. The
 * returned object is frozen and the same object while reused: callers may key caches on it.
 */
export function credentialSecretLookup(db: Db, cipher: SecretCipher, memoMs = SECRET_MEMO_MS): (id: string) => CredentialSecret | undefined {
  const memo = new Map<string, { row: SecretRow; secret: CredentialSecret; timer: NodeJS.Timeout }>();
  const same = (a: SecretRow, b: SecretRow): boolean =>
    a.kind === b.kind && a.username === b.username && (a.secret === null ? b.secret === null : b.secret !== null && a.secret.equals(b.secret));
  return (id) => {
    const row = secretRow(db, id);
    const hit = memo.get(id);
    if (hit) {
      clearTimeout(hit.timer);
      memo.delete(id);
    }
    if (!row) return undefined;
    const secret = hit && same(hit.row, row) ? hit.secret : Object.freeze(decodeSecret(row, cipher, id));
    const timer = setTimeout(() => memo.delete(id), memoMs);
    timer.unref();
    memo.set(id, { row, secret, timer });
    return secret;
  };
}

/**
 * Decrypts a credential for a connection. Main process only: the result must never reach the
 * renderer or a log. Throws not-found for an unknown id, invalid-input when it cannot be decrypted.
 */
export function getCredentialSecret(db: Db, cipher: SecretCipher, id: string): CredentialSecret {
  const row = secretRow(db, id);
  if (!row) throw new FlowdeckError('not-found', `unknown credential "${id}"`);
  return decodeSecret(row, cipher, id);
}

function decodeSecret(row: SecretRow, cipher: SecretCipher, id: string): CredentialSecret {
  const out: CredentialSecret = { kind: row.kind };
  if (row.username !== null) out.username = row.username;
  if (row.secret === null) return out;

  let plain: Buffer;
  try {
    plain = cipher.decrypt(row.secret);
  } catch (e) {
    throw new FlowdeckError('invalid-input', `cannot decrypt credential "${id}": ${formatError(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    parsed = undefined;
  } finally {
    plain.fill(0);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new FlowdeckError('invalid-input', `cannot decrypt credential "${id}": the stored secret is damaged`);
  const fields = parsed as Record<string, unknown>;
  const privateKey = optionalString(fields, 'privateKey');
  const passphrase = optionalString(fields, 'passphrase');
  const password = optionalString(fields, 'password');
  if (privateKey !== undefined) out.privateKey = privateKey;
  if (passphrase !== undefined) out.passphrase = passphrase;
  if (password !== undefined) out.password = password;
  return out;
}

/** Where a credential is still named: elements and profiles (by id). */
export function credentialReferences(db: Db, id: string): { elements: string[]; profiles: string[] } {
  const ids = (sql: string): string[] => (db.prepare(sql).all(id) as { id: string }[]).map((r) => r.id);
  return {
    elements: ids('SELECT id FROM elements WHERE credential = ? ORDER BY id'),
    profiles: ids('SELECT id FROM profiles WHERE credential = ? ORDER BY id'),
  };
}

/** Removes a credential; false if there was none. References from elements and profiles are left to the caller. */
export function deleteCredential(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM credentials WHERE id = ?').run(id).changes > 0;
}
