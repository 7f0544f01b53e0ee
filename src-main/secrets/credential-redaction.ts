import type { CredentialSecret } from './credential-check';

/**
 * The strings to give a `Redactor` for a decrypted credential: the password, the passphrase, the
 * private key whole and each of its body lines (a command that prints the key may change its line
 * endings or show only part of it). The `-----BEGIN/END ...-----` armour lines are not secret.
 */
export function redactionStrings(secret: CredentialSecret): string[] {
  const out: string[] = [];
  if (secret.password) out.push(secret.password);
  if (secret.passphrase) out.push(secret.passphrase);
  if (secret.privateKey) {
    out.push(secret.privateKey);
    for (const line of secret.privateKey.split(/\r?\n/)) {
      const body = line.trim();
      if (body !== '' && !body.startsWith('-----')) out.push(body);
    }
  }
  return out;
}
