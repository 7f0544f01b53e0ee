import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { keyFileCipher, keyFilePath } from './cipher';

const posix = process.platform !== 'win32';

describe('keyFileCipher', () => {
  let dir: string;
  let dbPath: string;
  const noEnv = {};

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowdeck-cipher-'));
    dbPath = join(dir, 'flowdeck.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a secret, and the blob is version | iv | tag | ciphertext without the plaintext', () => {
    const c = keyFileCipher(dbPath, noEnv);
    const plain = Buffer.from('{"password":"correct horse battery staple"}');
    const blob = c.encrypt(plain);
    expect(blob[0]).toBe(1);
    expect(blob.length).toBe(1 + 12 + 16 + plain.length);
    expect(blob.includes(plain)).toBe(false);
    expect(blob.includes(Buffer.from('correct horse'))).toBe(false);
    expect(c.decrypt(blob).equals(plain)).toBe(true);
    expect(c.kind).toBe('key-file');
  });

  it('uses a fresh IV per secret', () => {
    const c = keyFileCipher(dbPath, noEnv);
    const a = c.encrypt(Buffer.from('same secret'));
    const b = c.encrypt(Buffer.from('same secret'));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.runIf(posix)('creates the key file on first encryption with mode 0600, and reuses it', () => {
    const created: string[] = [];
    const c = keyFileCipher(dbPath, noEnv, { onKeyFileCreated: (p) => created.push(p) });
    const path = keyFilePath(dbPath);
    expect(path).toBe(join(dir, 'secret.key'));
    expect(existsSync(path)).toBe(false); // constructing touches nothing
    const blob = c.encrypt(Buffer.from('s3cret'));
    expect(created).toEqual([path]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').length).toBe(32);
    // Another process (another cipher) reads the same key and does not re-create it.
    const again: string[] = [];
    const c2 = keyFileCipher(dbPath, noEnv, { onKeyFileCreated: (p) => again.push(p) });
    expect(c2.decrypt(blob).toString()).toBe('s3cret');
    c2.encrypt(Buffer.from('x'));
    expect(again).toEqual([]);
  });

  it('creates the database folder if needed', () => {
    const nested = join(dir, 'a', 'b', 'flowdeck.db');
    const c = keyFileCipher(nested, noEnv);
    expect(c.decrypt(c.encrypt(Buffer.from('x'))).toString()).toBe('x');
    expect(existsSync(join(dir, 'a', 'b', 'secret.key'))).toBe(true);
  });

  it.runIf(posix)('refuses a key file readable by group or others, naming chmod 600', () => {
    const c = keyFileCipher(dbPath, noEnv);
    const blob = c.encrypt(Buffer.from('x'));
    const path = keyFilePath(dbPath);
    chmodSync(path, 0o644);
    const fresh = keyFileCipher(dbPath, noEnv);
    expect(() => fresh.decrypt(blob)).toThrow(`chmod 600 ${path}`);
    expect(() => fresh.encrypt(Buffer.from('y'))).toThrow(/mode 0644/);
    chmodSync(path, 0o640);
    expect(() => keyFileCipher(dbPath, noEnv).encrypt(Buffer.from('y'))).toThrow(FlowdeckError);
    chmodSync(path, 0o600);
    expect(keyFileCipher(dbPath, noEnv).decrypt(blob).toString()).toBe('x');
  });

  it('refuses a damaged key file', () => {
    writeFileSync(keyFilePath(dbPath), 'not a key\n', { mode: 0o600 });
    expect(() => keyFileCipher(dbPath, noEnv).encrypt(Buffer.from('x'))).toThrow(/damaged/);
  });

  it('does not create a key file to decrypt: a missing key is an error', () => {
    const blob = keyFileCipher(join(dir, 'other', 'x.db'), noEnv).encrypt(Buffer.from('x'));
    expect(() => keyFileCipher(dbPath, noEnv).decrypt(blob)).toThrow(/secret key is missing/);
    expect(existsSync(keyFilePath(dbPath))).toBe(false);
  });

  it('says the key changed when decrypting with another key', () => {
    const blob = keyFileCipher(dbPath, noEnv).encrypt(Buffer.from('x'));
    const other = keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64') });
    let caught: unknown;
    try {
      other.decrypt(blob);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlowdeckError);
    expect((caught as FlowdeckError).code).toBe('invalid-input');
    expect((caught as FlowdeckError).message).toBe(`the secret key changed (FLOWDECK_SECRET_KEY or ${keyFilePath(dbPath)})`);
  });

  it('detects a tampered blob, and refuses an unknown format or a truncated one', () => {
    const c = keyFileCipher(dbPath, noEnv);
    const blob = c.encrypt(Buffer.from('hello world'));
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(() => c.decrypt(flipped)).toThrow(/secret key changed/);
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    expect(() => c.decrypt(v2)).toThrow(/format 2/);
    expect(() => c.decrypt(blob.subarray(0, 10))).toThrow(/truncated/);
  });

  describe('FLOWDECK_SECRET_KEY', () => {
    it('is used when set, and no key file is created', () => {
      const key = randomBytes(32).toString('base64');
      const c = keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: key });
      expect(c.kind).toBe('env-key');
      const blob = c.encrypt(Buffer.from('from env'));
      expect(existsSync(keyFilePath(dbPath))).toBe(false);
      expect(keyFileCipher(join(dir, 'elsewhere.db'), { FLOWDECK_SECRET_KEY: key }).decrypt(blob).toString()).toBe('from env');
      // The file key (created now) is another key: the env one really was used.
      expect(() => keyFileCipher(dbPath, noEnv).decrypt(blob)).toThrow(/secret key/);
    });

    it('takes url-safe base64 and surrounding whitespace', () => {
      const raw = randomBytes(32);
      const a = keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: raw.toString('base64url') });
      const b = keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: ` ${raw.toString('base64')}\n` });
      expect(b.decrypt(a.encrypt(Buffer.from('x'))).toString()).toBe('x');
    });

    it.each([
      ['empty', ''],
      ['not base64', 'this is not base64 at all!'],
      ['16 bytes', randomBytes(16).toString('base64')],
      ['33 bytes', randomBytes(33).toString('base64')],
    ])('is refused at once when malformed (%s)', (_what, value) => {
      expect(() => keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: value })).toThrow(/FLOWDECK_SECRET_KEY must be 32 bytes encoded in base64/);
    });
  });
});
