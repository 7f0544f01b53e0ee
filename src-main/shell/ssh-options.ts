import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { SecretCipher } from '../secrets/cipher';
import type { Db } from '../store/db';
import { credentialSecretLookup } from '../store/credential-queries';
import type { HostKeyAsker } from '../transport/ssh/host-verify';
import type { SshTransportOptions } from '../transport/ssh/open-client';
import { findElement } from './element';

export interface ShellSshSettings {
  /** Set where a person can confirm an unknown host key (a terminal, the console's dialog). */
  askHostKey?: HostKeyAsker;
  /** OpenSSH known_hosts read besides Flowdeck's own table (default $FLOWDECK_KNOWN_HOSTS, else ~/.ssh/known_hosts). */
  knownHostsFile?: string;
}

/**
 * The SSH settings a shell connects with: the same database, credentials, known hosts and
 * jump-host lookup as the engine's SSH transport, so a shell reaches a host exactly as a run does.
 */
export function shellSshOptions(db: Db, cipher: SecretCipher, settings: ShellSshSettings = {}): SshTransportOptions {
  const knownHostsFile = settings.knownHostsFile ?? process.env.FLOWDECK_KNOWN_HOSTS;
  return {
    db,
    credential: credentialSecretLookup(db, cipher),
    element: (id): ResolvedElement | undefined => {
      try {
        return findElement(db, id);
      } catch {
        return undefined;
      }
    },
    ...(settings.askHostKey ? { askHostKey: settings.askHostKey } : {}),
    ...(knownHostsFile ? { knownHostsFile } : {}),
  };
}
