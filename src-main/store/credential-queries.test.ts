import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { keyFileCipher, type SecretCipher } from '../secrets/cipher';
import { openDb, type Db } from './db';
import { encryptedKeyPair } from '../../test/support/keys';
import {
  credentialReferences,
  credentialSecretLookup,
  deleteCredential,
  getCredentialInfo,
  getCredentialSecret,
  listCredentials,
  saveCredential,
} from './credential-queries';
import { checkCredential } from '../secrets/credential-check';

const { utils } = ssh2;

/** The base64 body of an OpenSSH private key (what must never leak), without the armour lines. */
function keyBody(pem: string): string {
  return pem
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .join('');
}

/** `ssh-keygen -lf` style fingerprint of an OpenSSH public key line: sha256 of the key blob, base64 unpadded. */
function fingerprintOfPublic(line: string): string {
  const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

const PASSPHRASE = 'open sesame 42';
const plainKey = utils.generateKeyPairSync('ed25519', { comment: 'plain@test' });
const lockedKey = encryptedKeyPair(PASSPHRASE, 'locked@test');

describe('credential queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-cred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let db: Db;
  let cipher: SecretCipher;

  beforeEach(() => {
    db = openDb(':memory:');
    cipher = keyFileCipher(join(dir, 'flowdeck.db'), { FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64') });
  });

  const count = (): number => (db.prepare('SELECT count(*) AS n FROM credentials').get() as { n: number }).n;

  it('saves an ed25519 key, lists its fingerprint and decrypts it back', () => {
    const info = saveCredential(db, cipher, checkCredential({ id: 'ops-key', name: 'Ops key', kind: 'key', username: 'deploy', secret: { privateKey: plainKey.private } }));
    const expected = fingerprintOfPublic(plainKey.public);
    expect(info).toMatchObject({ id: 'ops-key', name: 'Ops key', kind: 'key', username: 'deploy', hasPassphrase: false, fingerprint: expected });
    expect(listCredentials(db)).toEqual([info]);
    expect(getCredentialInfo(db, 'ops-key')).toEqual(info);
    expect(getCredentialSecret(db, cipher, 'ops-key')).toEqual({ kind: 'key', username: 'deploy', privateKey: plainKey.private });
  });

  it('stores the secret encrypted: the row holds no plaintext', () => {
    saveCredential(db, cipher, checkCredential({ id: 'k', name: 'k', kind: 'key', secret: { privateKey: lockedKey.private, passphrase: PASSPHRASE } }));
    saveCredential(db, cipher, checkCredential({ id: 'p', name: 'p', kind: 'password', secret: { password: 'hunter22-password' } }));
    const rows = db.prepare('SELECT * FROM credentials').all() as Array<{ secret: Buffer; meta: string }>;
    for (const row of rows) {
      const bytes = Buffer.concat([row.secret, Buffer.from(row.meta)]);
      expect(bytes.includes(Buffer.from(keyBody(lockedKey.private).slice(0, 40)))).toBe(false);
      expect(bytes.includes(Buffer.from(PASSPHRASE))).toBe(false);
      expect(bytes.includes(Buffer.from('hunter22-password'))).toBe(false);
    }
  });

  it('saves a passphrase-protected key with its passphrase', () => {
    const info = saveCredential(db, cipher, checkCredential({ id: 'locked', name: 'Locked', kind: 'key', secret: { privateKey: lockedKey.private, passphrase: PASSPHRASE } }));
    expect(info).toMatchObject({ hasPassphrase: true, fingerprint: fingerprintOfPublic(lockedKey.public) });
    expect(getCredentialSecret(db, cipher, 'locked')).toEqual({ kind: 'key', privateKey: lockedKey.private, passphrase: PASSPHRASE });
  });

  it.each([
    ['a wrong passphrase', { privateKey: lockedKey.private, passphrase: 'not the passphrase' }, /the passphrase does not decrypt the private key/],
    ['no passphrase for an encrypted key', { privateKey: lockedKey.private }, /encrypted: give its passphrase/],
    ['a passphrase for a plain key', { privateKey: plainKey.private, passphrase: PASSPHRASE }, /not encrypted/],
    ['something that is not a key', { privateKey: 'hello, I am not a key' }, /the private key cannot be read/],
    ['a public key', { privateKey: plainKey.public }, /public key/],
    ['no key at all', {}, /needs a private key/],
    ['a password on a key credential', { privateKey: plainKey.private, password: 'xxxxxxxx' }, /does not take password/],
  ])('refuses %s and stores nothing', (_what, secret, message) => {
    let caught: unknown;
    try {
      saveCredential(db, cipher, checkCredential({ id: 'bad', name: 'bad', kind: 'key', secret }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlowdeckError);
    expect((caught as FlowdeckError).code).toBe('invalid-input');
    expect((caught as FlowdeckError).message).toMatch(message);
    expect((caught as FlowdeckError).message).not.toContain(PASSPHRASE);
    expect(count()).toBe(0);
  });

  it('refuses a failed replacement without touching the stored credential', () => {
    saveCredential(db, cipher, checkCredential({ id: 'k', name: 'k', kind: 'key', secret: { privateKey: plainKey.private } }));
    expect(() => saveCredential(db, cipher, checkCredential({ id: 'k', name: 'k2', kind: 'key', secret: { privateKey: 'junk' } }))).toThrow(FlowdeckError);
    expect(getCredentialSecret(db, cipher, 'k').privateKey).toBe(plainKey.private);
    expect(getCredentialInfo(db, 'k')?.name).toBe('k');
  });

  it('saves password and agent credentials; an agent stores no secret', () => {
    saveCredential(db, cipher, checkCredential({ id: 'pw', name: 'DB admin', kind: 'password', username: 'admin', secret: { password: 'hunter22-password' } }));
    saveCredential(db, cipher, checkCredential({ id: 'agent', name: 'Agent', kind: 'agent' }));
    expect(getCredentialSecret(db, cipher, 'pw')).toEqual({ kind: 'password', username: 'admin', password: 'hunter22-password' });
    expect(getCredentialSecret(db, cipher, 'agent')).toEqual({ kind: 'agent' });
    expect((db.prepare("SELECT secret FROM credentials WHERE id = 'agent'").get() as { secret: Buffer | null }).secret).toBeNull();
    expect(listCredentials(db).map((c) => [c.id, c.kind, c.hasPassphrase, c.fingerprint])).toEqual([
      ['agent', 'agent', false, undefined],
      ['pw', 'password', false, undefined],
    ]);
    expect(() => saveCredential(db, cipher, checkCredential({ id: 'pw2', name: 'x', kind: 'password', secret: { password: '' } }))).toThrow(/non-empty password/);
    expect(() => saveCredential(db, cipher, checkCredential({ id: 'a2', name: 'x', kind: 'agent', secret: { password: 'hunter22' } }))).toThrow(/does not take password/);
  });

  it('lists no secret material at all', () => {
    saveCredential(db, cipher, checkCredential({ id: 'locked', name: 'Locked', kind: 'key', secret: { privateKey: lockedKey.private, passphrase: PASSPHRASE } }));
    saveCredential(db, cipher, checkCredential({ id: 'plain', name: 'Plain', kind: 'key', secret: { privateKey: plainKey.private } }));
    saveCredential(db, cipher, checkCredential({ id: 'pw', name: 'Password', kind: 'password', secret: { password: 'hunter22-password' } }));
    const json = JSON.stringify(listCredentials(db));
    for (const pem of [lockedKey.private, plainKey.private]) {
      const body = keyBody(pem);
      for (let i = 0; i + 16 <= body.length; i += 16) expect(json).not.toContain(body.slice(i, i + 16));
    }
    expect(json).not.toContain(PASSPHRASE);
    expect(json).not.toContain('hunter22');
    expect(json).not.toMatch(/"(privateKey|passphrase|password|secret)"\s*:/);
    for (const c of listCredentials(db)) {
      expect(Object.keys(c).sort()).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'hasPassphrase', 'updatedAt']));
      expect(Object.keys(c).every((k) => ['id', 'name', 'kind', 'username', 'hasPassphrase', 'fingerprint', 'updatedAt'].includes(k))).toBe(true);
    }
  });

  it('says which credential cannot be decrypted when the key changed', () => {
    saveCredential(db, cipher, checkCredential({ id: 'pw', name: 'pw', kind: 'password', secret: { password: 'hunter22-password' } }));
    const dbPath = join(dir, 'flowdeck.db');
    const other = keyFileCipher(dbPath, { FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64') });
    expect(() => getCredentialSecret(db, other, 'pw')).toThrow(
      `cannot decrypt credential "pw": the secret key changed (FLOWDECK_SECRET_KEY or ${join(dir, 'secret.key')})`,
    );
  });

  it('checks the id and the name', () => {
    expect(() => saveCredential(db, cipher, checkCredential({ id: 'has space', name: 'x', kind: 'agent' }))).toThrow(/credential id "has space"/);
    expect(() => saveCredential(db, cipher, checkCredential({ id: 'ok', name: '  ', kind: 'agent' }))).toThrow(/name is empty/);
    expect(count()).toBe(0);
  });

  it('deletes, and reports where a credential is still named', () => {
    saveCredential(db, cipher, checkCredential({ id: 'agent', name: 'Agent', kind: 'agent' }));
    db.prepare("UPDATE elements SET credential = 'agent' WHERE id = 'localhost'").run();
    db.prepare("INSERT INTO profiles (id, credential) VALUES ('pg', 'agent')").run();
    expect(credentialReferences(db, 'agent')).toEqual({ elements: ['localhost'], profiles: ['pg'] });
    expect(deleteCredential(db, 'agent')).toBe(true);
    expect(deleteCredential(db, 'agent')).toBe(false);
    expect(listCredentials(db)).toEqual([]);
    expect(() => getCredentialSecret(db, cipher, 'agent')).toThrow(/unknown credential "agent"/);
  });
  describe('the transports\' lookup', () => {
    afterEach(() => vi.useRealTimers());

    it('decrypts once while the stored credential is unchanged, and uses an edit at once', () => {
      saveCredential(db, cipher, checkCredential({ id: 'ops-key', name: 'Ops key', kind: 'key', username: 'deploy', secret: { privateKey: plainKey.private } }));
      let decrypts = 0;
      const counting: SecretCipher = { ...cipher, decrypt: (blob) => (decrypts++, cipher.decrypt(blob)) };
      const lookup = credentialSecretLookup(db, counting);
      const first = lookup('ops-key');
      expect(first).toEqual({ kind: 'key', username: 'deploy', privateKey: plainKey.private });
      expect(Object.isFrozen(first)).toBe(true);
      expect(lookup('ops-key')).toBe(first);
      expect(decrypts).toBe(1);

      // Saved again with the same content: a new blob (a new IV), so a new decryption.
      saveCredential(db, cipher, checkCredential({ id: 'ops-key', name: 'Ops key', kind: 'key', username: 'deploy', secret: { privateKey: plainKey.private } }));
      const second = lookup('ops-key');
      expect(second).not.toBe(first);
      expect(second).toEqual(first);
      // Only the user name changed: the blob is the same, the answer is not.
      db.prepare("UPDATE credentials SET username = 'root' WHERE id = 'ops-key'").run();
      expect(lookup('ops-key')).toEqual({ kind: 'key', username: 'root', privateKey: plainKey.private });
      expect(decrypts).toBe(3);

      deleteCredential(db, 'ops-key');
      expect(lookup('ops-key')).toBeUndefined();
    });

    it('forgets a decrypted secret some time after its last use', () => {
      vi.useFakeTimers();
      saveCredential(db, cipher, checkCredential({ id: 'pw', name: 'pw', kind: 'password', secret: { password: 'hunter22-password' } }));
      const lookup = credentialSecretLookup(db, cipher, 1000);
      const first = lookup('pw');
      vi.advanceTimersByTime(900);
      expect(lookup('pw')).toBe(first);
      vi.advanceTimersByTime(900);
      expect(lookup('pw')).toBe(first);
      vi.advanceTimersByTime(1001);
      const later = lookup('pw');
      expect(later).not.toBe(first);
      expect(later).toEqual(first);
    });

    it('still throws when a secret cannot be decrypted, and answers undefined for an unknown id', () => {
      saveCredential(db, cipher, checkCredential({ id: 'pw', name: 'pw', kind: 'password', secret: { password: 'hunter22-password' } }));
      const other = keyFileCipher(join(dir, 'flowdeck.db'), { FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64') });
      const lookup = credentialSecretLookup(db, other);
      expect(() => lookup('pw')).toThrow(/cannot decrypt credential "pw"/);
      expect(() => lookup('pw')).toThrow(/cannot decrypt credential "pw"/);
      expect(lookup('nobody')).toBeUndefined();
    });
  });
});
