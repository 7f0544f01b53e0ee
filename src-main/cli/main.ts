import { Command, CommanderError } from 'commander';
import { CliContext } from './context';
import { CliExit, failLine } from './io';
import { inventoryCommands } from './commands/inventory';
import { flowCommands } from './commands/flow';
import { runCommand } from './commands/run';
import { executionCommands } from './commands/executions';
import { logsCommand } from './commands/logs';
import { knownHostsCommands } from './commands/known-hosts';
import { credentialCommands } from './commands/credential';
import { serveCommand } from './commands/serve';
import { scheduleCommands } from './commands/schedule';
import { controlCommands } from './commands/control';
import { settingsCommands } from './commands/settings';
import { shellCommand } from './commands/shell';
import { runnerCommand } from './commands/runner';
import { triggerCommands } from './commands/trigger';
import { webhookCommands } from './commands/webhook';

export function buildProgram(cli: CliContext): Command {
  const program = new Command('flowdeck')
    .description('Flowdeck: run flows of steps on your hosts, serial or parallel, and read what happened on each.')
    .option('--db <path>', 'the database file (default: $FLOWDECK_DB, else the user data folder)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.hook('preAction', (cmd) => {
    const db = cmd.optsWithGlobals<{ db?: string }>().db;
    if (db) cli.dbPath = db;
  });
  inventoryCommands(program, cli);
  flowCommands(program, cli);
  runCommand(program, cli);
  executionCommands(program, cli);
  controlCommands(program, cli);
  logsCommand(program, cli);
  knownHostsCommands(program, cli);
  credentialCommands(program, cli);
  serveCommand(program, cli);
  scheduleCommands(program, cli);
  settingsCommands(program, cli);
  shellCommand(program, cli);
  runnerCommand(program, cli);
  triggerCommands(program, cli);
  webhookCommands(program, cli);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const cli = new CliContext();
  const program = buildProgram(cli);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof CliExit) {
      process.stderr.write(e.message + '\n');
      return e.code;
    }
    process.stderr.write(failLine(e) + '\n');
    return 1;
  } finally {
    // Webhooks of the runs this process ran go out before it exits (bounded).
    await cli.settle();
    cli.close();
  }
}
