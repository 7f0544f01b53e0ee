import type { Command } from 'commander';
import { formatError } from '../../../src-shared/errors';
import type { CliContext } from '../context';
import { CliExit } from '../io';

export function shellCommand(program: Command, cli: CliContext): void {
  program
    .command('shell')
    .description("a shell on an element, as `ssh HOST` gives one: same user, key, jump hosts and host-key rules as a run; exits with the remote status")
    .argument('<element>', 'the element id')
    .argument('[command...]', 'run this instead of the shell (after --): one argument is a command line, several are a command and its arguments')
    .addHelpText(
      'after',
      `
On a terminal, an interactive shell (on a pseudo-terminal for an SSH element). With stdin not a
terminal, the shell reads its commands from stdin (no pseudo-terminal), as \`ssh host < script\`.
An unknown host key is asked on the terminal, as \`run\` asks; with no terminal it fails with its
fingerprint. The exit status is the shell's or the command's (128 + N when signal N ended it);
255 means Flowdeck itself could not connect or start it.

Examples:
  flowdeck shell db3
  echo hostname | flowdeck shell db3
  flowdeck shell db3 -- 'systemctl status patroni | head'
  flowdeck shell db3 -- sh -c 'exit 7'; echo $?     # 7
`,
    )
    .action(async (elementId: string, args: string[]) => {
      const [shellIo, { findElement }] = await Promise.all([import('../shell-io'), import('../../shell/element')]);
      const command = shellIo.commandLine(args);
      const db = await cli.db();
      let status: number;
      try {
        const element = findElement(db, elementId);
        if (element.transport === 'local') {
          status = await shellIo.runLocalShell(command);
        } else {
          const [{ keyFileCipher }, { shellSshOptions }, { terminalHostKeyAsker }] = await Promise.all([
            import('../../secrets/cipher'),
            import('../../shell/ssh-options'),
            import('../host-key-prompt'),
          ]);
          const ask = terminalHostKeyAsker();
          status = await shellIo.runRemoteShell(shellSshOptions(db, keyFileCipher(cli.dbPath), ask ? { askHostKey: ask } : {}), element, command);
        }
      } catch (e) {
        throw new CliExit(shellIo.SHELL_FAILED, `flowdeck: ${formatError(e)}`);
      }
      process.exitCode = status;
    });
}
