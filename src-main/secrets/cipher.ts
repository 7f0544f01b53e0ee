import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FlowdeckError } from '../../src-shared/errors';

/**
 * Encrypts credential secrets at rest. Two implementations: `keyFileCipher` below for
 * the CLI and the headless console, and (in src-main/app, later) one backed by Electron's
 * safeStorage. Keep this interface small so that one stays a few lines.
 *
 * `decrypt` throws a FlowdeckError whose message says why, written to follow
 * `cannot decrypt credential "<id>": ` (the caller knows the id, the cipher does not).
 */
export interface SecretCipher {
  /** Which cipher wrote a blob, for messages and diagnostics: `env-key`, `key-file`, `safe-storage`. */
  readonly kind: string;
  encrypt(plain: Buffer): Buffer;
  decrypt(blob: Buffer): Buffer;
}

export const SECRET_KEY_ENV = 'FLOWDECK_SECRET_KEY';
const KEY_FILE_NAME = 'secret.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The first byte of every blob; a new layout or algorithm gets a new number. */
const FORMAT_V1 = 1;
/** Blobs the desktop app wrote with the OS keychain (Electron safeStorage); see src-main/app/safe-storage-cipher. */
export const SAFE_STORAGE_FORMAT = 0x53;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** The key file beside the database: `<dir of the database>/secret.key`. */
export function keyFilePath(dbPath: string): string {
  return join(dirname(dbPath), KEY_FILE_NAME);
}

/** 32 bytes from base64 (standard or url-safe, padding optional), or undefined if it is anything else. */
export function decodeKey(text: string): Buffer | undefined {
  const s = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return undefined;
  const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

function envKey(value: string): Buffer {
  const key = decodeKey(value);
  if (!key) {
    throw new FlowdeckError(
      'invalid-input',
      `${SECRET_KEY_ENV} must be 32 bytes encoded in base64 (44 characters; make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Reads an existing key file, refusing one that other users could read or change (as ssh does with keys). */
function readKeyFile(path: string): Buffer {
  const st = statSync(path);
  if (!st.isFile()) throw new FlowdeckError('invalid-input', `the secret key file ${path} is not a regular file`);
  // Windows has no POSIX mode bits (its ACLs are not visible here), so the check only applies elsewhere.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new FlowdeckError(
      'invalid-input',
      `the secret key file ${path} is accessible to other users (mode ${mode}); Flowdeck refuses to use it. Run: chmod 600 ${path}`,
    );
  }
  const key = decodeKey(readFileSync(path, 'utf8'));
  if (!key) throw new FlowdeckError('invalid-input', `the secret key file ${path} does not hold 32 bytes in base64; it is damaged`);
  return key;
}

/**
 * Creates the key file with mode 0600, atomically: the key is written to a private temporary
 * file which is then hard-linked into place, so two processes starting at once both end up with
 * the same complete key (the loser of the race reads the winner's).
 * Returns true when this call created it.
 */
function createKeyFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const text = randomBytes(KEY_BYTES).toString('base64') + '\n';
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    // A file system without hard links: an exclusive create is still safe, only not atomic.
    if (errnoCode(e) !== 'EPERM' && errnoCode(e) !== 'ENOTSUP' && errnoCode(e) !== 'EXDEV') throw e;
    try {
      const direct = openSync(path, 'wx', 0o600);
      try {
        writeSync(direct, text);
      } finally {
        closeSync(direct);
      }
      return true;
    } catch (e2) {
      if (errnoCode(e2) === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    unlinkSync(tmp);
  }
}

export interface KeyFileCipherHooks {
  /** Called once when the key file did not exist and this process created it (the CLI tells the operator to keep it). */
  onKeyFileCreated?: (path: string) => void;
}

/**
 * AES-256-GCM with a random 12-byte IV per secret; a blob is
 * `version (1 byte) | iv (12) | tag (16) | ciphertext`, the version byte authenticated too.
 *
 * The key: `FLOWDECK_SECRET_KEY` (base64 of 32 bytes) when set, else `<dir of the database>/secret.key`,
 * created with mode 0600 on the first encryption. An existing key file readable or writable by
 * group or others is refused. The variable is checked here, at once; the file only when a secret
 * is first encrypted or decrypted, so listing credentials never touches it. Decrypting never
 * creates a key file: a missing one means the stored secrets cannot be read.
 */
export function keyFileCipher(dbPath: string, env: NodeJS.ProcessEnv = process.env, hooks: KeyFileCipherHooks = {}): SecretCipher {
  const path = keyFilePath(dbPath);
  const fromEnv = env[SECRET_KEY_ENV];
  const where = `${SECRET_KEY_ENV} or ${path}`;
  let key: Buffer | undefined = fromEnv !== undefined ? envKey(fromEnv) : undefined;

  const loadKey = (create: boolean): Buffer => {
    if (key) return key;
    try {
      key = readKeyFile(path);
      return key;
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') {
        if (e instanceof FlowdeckError) throw e;
        throw new FlowdeckError('invalid-input', `cannot read the secret key file ${path}: ${errnoCode(e) ?? String(e)}`);
      }
    }
    if (!create) {
      throw new FlowdeckError('invalid-input', `the secret key is missing: ${SECRET_KEY_ENV} is not set and ${path} does not exist`);
    }
    if (createKeyFile(path)) hooks.onKeyFileCreated?.(path);
    key = readKeyFile(path);
    return key;
  };

  return {
    kind: fromEnv !== undefined ? 'env-key' : 'key-file',

    encrypt(plain: Buffer): Buffer {
      const k = loadKey(true);
      const version = Buffer.from([FORMAT_V1]);
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      c.setAAD(version);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([version, iv, c.getAuthTag(), body]);
    },

    decrypt(blob: Buffer): Buffer {
      if (blob.length < HEADER_BYTES) throw new FlowdeckError('invalid-input', 'the stored secret is truncated');
      const version = blob[0];
      if (version === SAFE_STORAGE_FORMAT) {
        throw new FlowdeckError(
          'invalid-input',
          'this credential was saved in the desktop app, encrypted with the OS keychain, which only the app can open; add it again with `flowdeck credential add` to use it here',
        );
      }
      if (version !== FORMAT_V1) {
        throw new FlowdeckError('invalid-input', `the stored secret has format ${String(version)}, unknown to this Flowdeck (written by a newer one?)`);
      }
      const k = loadKey(false);
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, HEADER_BYTES);
      const d = createDecipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      d.setAAD(blob.subarray(0, 1));
      d.setAuthTag(tag);
      try {
        return Buffer.concat([d.update(blob.subarray(HEADER_BYTES)), d.final()]);
      } catch {
        // GCM authentication failed: another key (or a damaged blob, indistinguishable by design).
        throw new FlowdeckError('invalid-input', `the secret key changed (${where})`);
      }
    },
  };
}
