/**
 * Credentials as the renderer and the CLI may see them: names and public facts only.
 * The secret material (private key, passphrase, password) stays encrypted in the database and
 * is decrypted in the main process only, right before a connection.
 */

export const credentialKinds = ['key', 'password', 'agent'] as const;
/** `key`: a private key (and its passphrase); `password`: a password; `agent`: ssh-agent, nothing stored. */
export type CredentialKind = (typeof credentialKinds)[number];

/** What a list of credentials shows. Safe for the renderer: holds no secret. */
export interface CredentialInfo {
  id: string;
  name: string;
  kind: CredentialKind;
  username?: string;
  /** A key credential whose private key is encrypted with a stored passphrase. */
  hasPassphrase: boolean;
  /** `SHA256:...` of the public key, as `ssh-keygen -lf` prints it; key credentials only. */
  fingerprint?: string;
  /** Milliseconds since the epoch. */
  updatedAt: number;
}
