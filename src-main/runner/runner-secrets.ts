import type { Db } from '../store/db';
import type { SecretCipher } from '../secrets/cipher';
import { getCredentialSecret, listCredentials } from '../store/credential-queries';
import { redactionStrings } from '../secrets/credential-redaction';
import { masterKeyRedactionStrings } from '../secrets/master-key-redaction';

/** Read again at most this often: a credential added while the runner runs is redacted soon after. */
const REFRESH_MS = 5000;

/**
 * What the runner redacts from output before it leaves the machine: its stored credentials'
 * secrets, its master key, and the password it gives Redis.
 */
export function runnerSecrets(db: Db, cipher: SecretCipher, dbPath: string, extra: readonly string[]): () => string[] {
  let at = 0;
  let list: string[] = [];
  return () => {
    if (Date.now() - at < REFRESH_MS) return list;
    const out: string[] = [...extra];
    for (const c of listCredentials(db)) {
      if (c.kind === 'agent') continue;
      try {
        out.push(...redactionStrings(getCredentialSecret(db, cipher, c.id)));
      } catch {
        // Cannot be decrypted here, so it cannot be used, or leak, here either.
      }
    }
    out.push(...masterKeyRedactionStrings(dbPath));
    list = out.filter((s) => s.length > 0);
    at = Date.now();
    return list;
  };
}
