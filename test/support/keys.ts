import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A passphrase-protected ed25519 key pair made by OpenSSH's ssh-keygen, as an operator's would
 * be. ssh2's own generator now and then writes an encrypted key that ssh2 then cannot parse
 * (about 1 in 200 here), which made tests using it flaky.
 */
export function encryptedKeyPair(passphrase: string, comment: string): { private: string; public: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-key-'));
  try {
    const path = join(dir, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-a', '4', '-N', passphrase, '-C', comment, '-f', path]);
    return { private: readFileSync(path, 'utf8'), public: readFileSync(`${path}.pub`, 'utf8').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
