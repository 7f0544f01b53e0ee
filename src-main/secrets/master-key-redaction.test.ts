import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { masterKeyRedactionStrings } from './master-key-redaction';
import { Redactor } from './redact';

describe('masterKeyRedactionStrings', () => {
  const dirs: string[] = [];
  const dbIn = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'flowdeck-mk-'));
    dirs.push(dir);
    return join(dir, 'flowdeck.db');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('covers the variable as given and every printable form of its 32 bytes', () => {
    const key = randomBytes(32);
    const given = key.toString('base64url').replace(/=+$/, '');
    const strings = masterKeyRedactionStrings(dbIn(), { FLOWDECK_SECRET_KEY: ` ${given}\n` });
    const r = new Redactor(strings);
    for (const form of [given, key.toString('base64'), key.toString('hex'), key.toString('hex').toUpperCase(), new TextDecoder().decode(key)]) {
      expect(r.redactAll(`k=${form};`), form).toBe('k=***;');
    }
  });

  it('covers the key file beside the database too, and a damaged value as it is', () => {
    const db = dbIn();
    const fileKey = randomBytes(32).toString('base64');
    writeFileSync(join(db, '..', 'secret.key'), fileKey + '\n', { mode: 0o600 });
    const strings = masterKeyRedactionStrings(db, { FLOWDECK_SECRET_KEY: 'not-a-key-at-all' });
    expect(strings).toContain(fileKey);
    expect(strings).toContain('not-a-key-at-all');
  });

  it('is empty when there is no key anywhere, and creates nothing', () => {
    const db = dbIn();
    expect(masterKeyRedactionStrings(db, {})).toEqual([]);
    expect(masterKeyRedactionStrings(db, {})).toEqual([]);
  });
});
