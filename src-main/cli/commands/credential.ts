import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { CredentialKind } from '../../../src-shared/domain/credential';
import { privateKeyFromFile, secretFromEnv } from '../../secrets/secret-sources';
import type { CredentialSecretInput } from '../../secrets/credential-check';
import type { CliContext } from '../context';
import { CliExit, err, out } from '../io';
import { table, time } from '../format';

interface AddOptions {
  key?: string;
  passphraseEnv?: string;
  passwordEnv?: string;
  agent?: boolean;
  user?: string;
  name?: string;
}

/** Which kind the options ask for, and its secret, read from a file or the environment. */
function secretFromOptions(opts: AddOptions): { kind: CredentialKind; secret?: CredentialSecretInput } {
  const chosen = [opts.key !== undefined, opts.passwordEnv !== undefined, opts.agent === true].filter(Boolean).length;
  if (chosen !== 1) {
    throw new CliExit(2, 'flowdeck: credential add takes exactly one of --key FILE, --password-env VAR or --agent');
  }
  if (opts.passphraseEnv !== undefined && opts.key === undefined) {
    throw new CliExit(2, 'flowdeck: --passphrase-env goes with --key (it is the passphrase of that key)');
  }
  if (opts.key !== undefined) {
    const secret: CredentialSecretInput = { privateKey: privateKeyFromFile(opts.key) };
    if (opts.passphraseEnv !== undefined) secret.passphrase = secretFromEnv('--passphrase-env', opts.passphraseEnv);
    return { kind: 'key', secret };
  }
  if (opts.passwordEnv !== undefined) return { kind: 'password', secret: { password: secretFromEnv('--password-env', opts.passwordEnv) } };
  return { kind: 'agent' };
}

export function credentialCommands(program: Command, cli: CliContext): void {
  const cred = program
    .command('credential')
    .description('SSH credentials (private key, password or ssh-agent), stored encrypted; secrets are read from a file or an environment variable, never from the command line');

  cred
    .command('add')
    .description('add or replace a credential')
    .argument('<id>', 'the id elements and profiles name in `credential:`')
    .option('--key <file>', 'a private key file (OpenSSH, PEM or PuTTY)')
    .option('--passphrase-env <var>', "the NAME of an environment variable holding the key's passphrase")
    .option('--password-env <var>', 'the NAME of an environment variable holding the password')
    .option('--agent', 'authenticate with the running ssh-agent (nothing secret is stored)')
    .option('--user <name>', 'the login name, unless the element sets one')
    .option('--name <text>', 'a display name (default: the id)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  flowdeck credential add ops-key --key ~/.ssh/id_ed25519 --passphrase-env OPS_KEY_PASS\n' +
        '  FLOWDECK_PW=... flowdeck credential add db-admin --password-env FLOWDECK_PW --user admin\n' +
        '  flowdeck credential add my-agent --agent\n',
    )
    .action(async (id: string, opts: AddOptions) => {
      const { kind, secret } = secretFromOptions(opts);
      const [{ saveCredential }, { keyFileCipher }, { checkCredential }] = await Promise.all([
        import('../../store/credential-queries'),
        import('../../secrets/cipher'),
        import('../../secrets/credential-check'),
      ]);
      const db = await cli.db();
      const cipher = keyFileCipher(cli.dbPath, process.env, {
        onKeyFileCreated: (path) =>
          err(`flowdeck: created the secret key file ${path} (mode 0600); keep it with the database: without it the stored credentials cannot be decrypted`),
      });
      const info = saveCredential(db, cipher, checkCredential({
        id,
        name: opts.name ?? id,
        kind,
        ...(opts.user !== undefined ? { username: opts.user } : {}),
        ...(secret ? { secret } : {}),
      }));
      const detail = info.fingerprint ? ` ${info.fingerprint}${info.hasPassphrase ? ', with passphrase' : ''}` : '';
      await out(`credential ${info.id} saved (${info.kind}${detail})\n`);
    });

  cred
    .command('list')
    .description('list credentials (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listCredentials } = await import('../../store/credential-queries');
      const rows = listCredentials(await cli.db());
      if (opts.json) {
        await out(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      await out(
        table(
          ['ID', 'NAME', 'KIND', 'USER', 'FINGERPRINT', 'UPDATED'],
          rows.map((c) => [c.id, c.name, c.kind, c.username ?? '-', c.fingerprint ? c.fingerprint + (c.hasPassphrase ? ' (passphrase)' : '') : '-', time(c.updatedAt)]),
        ),
      );
    });

  cred
    .command('rm')
    .description('remove a credential (refused while elements or profiles name it, unless --force)')
    .argument('<id>')
    .option('--force', 'remove it even if elements or profiles still name it')
    .action(async (id: string, opts: { force?: boolean }) => {
      const { credentialReferences, deleteCredential } = await import('../../store/credential-queries');
      const db = await cli.db();
      const refs = credentialReferences(db, id);
      const users = [...refs.elements.map((e) => `element ${e}`), ...refs.profiles.map((p) => `profile ${p}`)];
      if (users.length > 0 && !opts.force) {
        throw new FlowdeckError('conflict', `credential "${id}" is used by ${users.join(', ')}; change them first or pass --force`);
      }
      if (!deleteCredential(db, id)) throw new FlowdeckError('not-found', `unknown credential "${id}"`);
      await out(`credential ${id} removed\n`);
      if (users.length > 0) err(`flowdeck: warning: ${users.join(', ')} still name credential "${id}"`);
    });
}
