import type { SecretCipher } from '../secrets/cipher';
import type { Db } from '../store/db';
import type { SshTransportOptions } from '../transport/ssh/open-client';
import { openLocalShell } from './local-shell';
import { ShellSessions, type ShellStarter } from './sessions';
import { shellSshOptions, type ShellSshSettings } from './ssh-options';
import { openSshShell } from './ssh-shell';

/** A remote pty for ssh elements, a local pty on this machine for local ones. */
function shellStarter(ssh: SshTransportOptions): ShellStarter {
  return (element, size, signal) => (element.transport === 'local' ? openLocalShell(size) : openSshShell(ssh, element, size, signal));
}

/** What the shells need of the engine's runtime: the database, the cipher of its credentials, the secrets to redact. */
export interface ShellRuntime {
  db: Db;
  cipher: SecretCipher;
  deps: { secrets?(): string[] };
}

/** The console's shell sessions on this database, connecting as runs do (`askHostKey`: the console's host key dialog). */
export function createShellSessions(rt: ShellRuntime, settings: ShellSshSettings = {}): ShellSessions {
  return new ShellSessions(shellStarter(shellSshOptions(rt.db, rt.cipher, settings)), () => rt.deps.secrets?.() ?? []);
}
