import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { credentialKinds, type CredentialInfo, type CredentialKind } from '../../src-shared/domain/credential';
import { slugSchema } from '../../src-shared/domain/inventory';
import { FlowdeckError, formatError } from '../../src-shared/errors';
import type { SecretCipher } from '../secrets/cipher';
import type { Db } from './db';

// ssh2 is CommonJS: Node's ESM loader exposes only its default export (`import { utils }` fails at run time).
const { utils } = ssh2;

/** Secret material as given to `saveCredential`; encrypted as JSON into `credentials.secret`. */
export interface CredentialSecretInput {
  privateKey?: string;
  passphrase?: string;
  password?: string;
}

export interface SaveCredentialInput {
  id: string;
  name: string;
  kind: CredentialKind;
  username?: string;
  secret?: CredentialSecretInput;
}

/** A stored credential, decrypted. Main process only: never send it to the renderer, never log it. */
export interface CredentialSecret {
  kind: CredentialKind;
  username?: string;
  privateKey?: string;
  passphrase?: string;
  password?: string;
}

/** Public facts kept in `credentials.meta` so listing needs neither the key nor a decryption. */
interface CredentialMeta {
  fingerprint?: string;
  hasPassphrase?: boolean;
}

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

/** ssh2 returns an Error, a key, or (for some OpenSSH files) an array of keys. */
function parseKey(privateKey: string, passphrase: string | undefined): ParsedKey | Error {
  const parsed: unknown = utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) return parsed;
  const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  return first === undefined ? new Error('no key found') : (first as ParsedKey);
}

/** `SHA256:<base64, unpadded>` of the public key blob, as `ssh-keygen -lf` prints it. */
function fingerprintOf(key: ParsedKey): string {
  return 'SHA256:' + createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '');
}

/**
 * Checks a private key and its passphrase the way a connection will use them, so a bad key fails
 * here rather than at 3 a.m. on the first host. Returns the public facts to keep in `meta`.
 * ssh2's messages name the format problem only; they never quote the key.
 */
function checkPrivateKey(id: string, privateKey: string, passphrase: string | undefined): CredentialMeta {
  const bare = parseKey(privateKey, undefined);
  const encrypted = bare instanceof Error && /encrypted|passphrase/i.test(bare.message);
  if (!encrypted && bare instanceof Error) {
    throw invalid(id, `the private key cannot be read: ${bare.message} (an OpenSSH, PEM or PuTTY private key is expected)`);
  }
  if (encrypted && !passphrase) throw invalid(id, 'the private key is encrypted: give its passphrase too');
  if (!encrypted && passphrase) throw invalid(id, 'the private key is not encrypted, so it takes no passphrase');
  const key = encrypted ? parseKey(privateKey, passphrase) : bare;
  if (key instanceof Error) throw invalid(id, `the passphrase does not decrypt the private key (${key.message})`);
  if (!key.isPrivateKey()) throw invalid(id, 'this is a public key; give the private key');
  return { fingerprint: fingerprintOf(key), hasPassphrase: encrypted };
}

function nonEmpty(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

/** Validates what each kind takes, and returns the secret to store (undefined for `agent`) and the meta. */
function checkInput(c: SaveCredentialInput): { secret: CredentialSecretInput | undefined; meta: CredentialMeta } {
  const s = c.secret ?? {};
  const given = (['privateKey', 'passphrase', 'password'] as const).filter((k) => s[k] !== undefined);
  const extra = (allowed: readonly string[]): void => {
    const bad = given.filter((k) => !allowed.includes(k));
    if (bad.length > 0) throw invalid(c.id, `a ${c.kind} credential does not take ${bad.join(', ')}`);
  };
  switch (c.kind) {
    case 'key': {
      extra(['privateKey', 'passphrase']);
      if (!nonEmpty(s.privateKey)) throw invalid(c.id, 'a key credential needs a private key');
      const passphrase = nonEmpty(s.passphrase) ? s.passphrase : undefined;
      const meta = checkPrivateKey(c.id, s.privateKey, passphrase);
      return { secret: passphrase ? { privateKey: s.privateKey, passphrase } : { privateKey: s.privateKey }, meta };
    }
    case 'password':
      extra(['password']);
      if (!nonEmpty(s.password)) throw invalid(c.id, 'a password credential needs a non-empty password');
      return { secret: { password: s.password }, meta: {} };
    case 'agent':
      extra([]);
      return { secret: undefined, meta: {} };
    default:
      throw invalid(c.id, `unknown kind "${String(c.kind)}" (expected ${credentialKinds.join(', ')})`);
  }
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
 * Adds or replaces a credential. The secret is validated (a key must parse with its passphrase)
 * before anything is written, then stored encrypted as JSON; a failed check stores nothing.
 */
export function saveCredential(db: Db, cipher: SecretCipher, c: SaveCredentialInput): CredentialInfo {
  const id = slugSchema.safeParse(c.id);
  if (!id.success) throw new FlowdeckError('invalid-input', `credential id "${c.id}" ${id.error.issues[0]?.message ?? 'is not valid'}`);
  const name = c.name.trim();
  if (name === '') throw invalid(c.id, 'the name is empty');
  const username = c.username !== undefined && c.username.trim() !== '' ? c.username.trim() : null;
  const { secret, meta } = checkInput(c);

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

/**
 * Decrypts a credential for a connection. Main process only: the result must never reach the
 * renderer or a log. Throws not-found for an unknown id, invalid-input when it cannot be decrypted.
 */
export function getCredentialSecret(db: Db, cipher: SecretCipher, id: string): CredentialSecret {
  const row = db.prepare('SELECT kind, username, secret FROM credentials WHERE id = ?').get(id) as
    | Pick<CredentialRow, 'kind' | 'username' | 'secret'>
    | undefined;
  if (!row) throw new FlowdeckError('not-found', `unknown credential "${id}"`);
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
