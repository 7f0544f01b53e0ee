import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateKeyFromFile, secretFromEnv } from './secret-sources';

describe('secretFromEnv', () => {
  it('reads the variable the option names', () => {
    expect(secretFromEnv('--password-env', 'FLOWDECK_PW', { FLOWDECK_PW: 'hunter22' })).toBe('hunter22');
  });

  it('says clearly when it is unset or empty', () => {
    expect(() => secretFromEnv('--password-env', 'FLOWDECK_PW', {})).toThrow('--password-env: the environment variable FLOWDECK_PW is not set');
    expect(() => secretFromEnv('--password-env', 'FLOWDECK_PW', { FLOWDECK_PW: '' })).toThrow(/is empty/);
  });

  it('does not echo a value that is not a variable name (it may be the secret itself)', () => {
    let message = '';
    try {
      secretFromEnv('--password-env', 'p@ss w0rd!', {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/takes the NAME of an environment variable/);
    expect(message).not.toContain('p@ss w0rd!');
  });
});

describe('privateKeyFromFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-keysrc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a key file, and refuses a missing or empty one', () => {
    const path = join(dir, 'id');
    writeFileSync(path, 'KEY TEXT\n');
    expect(privateKeyFromFile(path)).toBe('KEY TEXT\n');
    expect(() => privateKeyFromFile(join(dir, 'missing'))).toThrow(/cannot read the key file .*ENOENT/);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(() => privateKeyFromFile(join(dir, 'empty'))).toThrow(/is empty/);
  });
});
