import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { credentialKinds, type CredentialKind } from '../../src-shared/domain/credential';
import { FlowdeckError } from '../../src-shared/errors';

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

/** Public facts kept beside the encrypted secret, so listing needs neither the key nor a decryption. */
export interface CredentialMeta {
  fingerprint?: string;
  hasPassphrase?: boolean;
}

/** A credential whose secret was checked, ready to store: what to encrypt and what to show. */
export interface CheckedCredential {
  id: string;
  name: string;
  kind: CredentialKind;
  username?: string;
  secret: CredentialSecretInput | undefined;
  meta: CredentialMeta;
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

/**
 * Checks a credential's secret the way a connection will use it (a key must parse, with its
 * passphrase if it has one), before anything is written: a failed check stores nothing.
 */
export function checkCredential(c: SaveCredentialInput): CheckedCredential {
  const { secret, meta } = checkInput(c);
  return { id: c.id, name: c.name, kind: c.kind, ...(c.username !== undefined ? { username: c.username } : {}), secret, meta };
}
