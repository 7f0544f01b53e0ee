import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { credentialReferences, deleteCredential, listCredentials, saveCredential } from '../../store/credential-queries';
import { checkCredential, type CredentialSecretInput } from '../../secrets/credential-check';
import type { EngineRuntime } from '../../engine/runtime';

export type CredentialHandlers = Pick<Handlers, 'credentials/list' | 'credentials/save' | 'credentials/delete'>;

/** Secrets go one way: saved encrypted with the runtime's cipher, never read back; answers hold public facts only. */
export function credentialHandlers(rt: EngineRuntime): CredentialHandlers {
  return {
    'credentials/list': async () => listCredentials(rt.db),

    'credentials/save': async ({ id, name, kind, username, privateKey, passphrase, password }) => {
      const secret: CredentialSecretInput = {};
      if (privateKey !== undefined) secret.privateKey = privateKey;
      if (passphrase !== undefined) secret.passphrase = passphrase;
      if (password !== undefined) secret.password = password;
      return saveCredential(rt.db, rt.cipher, checkCredential({
        id,
        name,
        kind,
        ...(username !== undefined ? { username } : {}),
        ...(Object.keys(secret).length > 0 ? { secret } : {}),
      }));
    },

    /** Refused while elements or profiles still name the credential, as `flowdeck credential rm` does without --force. */
    'credentials/delete': async ({ id }) => {
      const refs = credentialReferences(rt.db, id);
      const users = [...refs.elements.map((e) => `element ${e}`), ...refs.profiles.map((p) => `profile ${p}`)];
      if (users.length > 0) throw new FlowdeckError('conflict', `credential "${id}" is used by ${users.join(', ')}; change them first`);
      return { deleted: deleteCredential(rt.db, id) };
    },
  };
}
