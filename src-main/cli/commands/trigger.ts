import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { JsonValue } from '../../../src-shared/domain/inventory';
import type { CliContext } from '../context';
import { CliExit, collect, out, parseKeyValues } from '../io';
import { table, time } from '../format';

function triggerId(text: string): string {
  if (!/^[0-9a-f]{16}$/.test(text)) throw new CliExit(2, `flowdeck: "${text}" is not a trigger id (16 hexadecimal digits; see \`flowdeck trigger list\`)`);
  return text;
}

export function triggerCommands(program: Command, cli: CliContext): void {
  const trg = program
    .command('trigger')
    .description('HTTP triggers: POST /api/triggers/ID with the trigger\'s token to `flowdeck serve` starts its flow');

  trg
    .command('add')
    .description('add a trigger for a flow; prints its id, its path and its token (shown this once only)')
    .argument('<flow>')
    .option('--name <text>', 'a display name')
    .option('-p, --param <key=value>', 'a fixed parameter value (repeatable); callers cannot change it unless --allow-param names it', collect, [])
    .option('--allow-param <name>', 'a parameter callers may set in the request body (repeatable)', collect, [])
    .option('--json', 'print { trigger, token } as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  flowdeck trigger add deploy --name ci --param env=staging --allow-param version\n' +
        "  curl -X POST -H \"Authorization: Bearer $TOKEN\" -d '{\"params\":{\"version\":\"1.4.2\"}}' http://127.0.0.1:PORT/api/triggers/ID\n",
    )
    .action(async (flow: string, opts: { name?: string; param: string[]; allowParam: string[]; json?: boolean }) => {
      const { addTrigger } = await import('../../triggers/add-trigger');
      const created = addTrigger(await cli.db(), {
        flow,
        params: parseKeyValues(opts.param, 'param') as Record<string, JsonValue>,
        allowParams: opts.allowParam,
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      if (opts.json) {
        await out(JSON.stringify(created, null, 2) + '\n');
        return;
      }
      const t = created.trigger;
      await out(
        `trigger ${t.id} added: flow ${t.flow}${t.name ? ` (${t.name})` : ''}\n` +
          `path:  ${t.path}\n` +
          `token: ${created.token}\n` +
          'The token is shown this once; Flowdeck keeps only a hash of it. Lost it? Remove the trigger and add another.\n',
      );
    });

  trg
    .command('list')
    .description('list triggers (never their tokens)')
    .option('--json', 'print JSON (an array of triggers)')
    .action(async (opts: { json?: boolean }) => {
      const { listTriggers } = await import('../../store/trigger-queries');
      const rows = listTriggers(await cli.db());
      if (opts.json) {
        await out(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      await out(
        table(
          ['ID', 'FLOW', 'NAME', 'PARAMS', 'CALLERS MAY SET', 'ADDED', 'LAST USED'],
          rows.map((t) => [
            t.id,
            t.flow,
            t.name ?? '-',
            Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') || '-',
            t.allowParams.join(',') || '-',
            time(t.createdAt),
            t.lastUsedAt === null ? 'never' : `${time(t.lastUsedAt)} (#${t.lastExecutionId ?? '?'})`,
          ]),
        ),
      );
    });

  trg
    .command('rm')
    .description('remove a trigger: its token stops working at once (its executions stay)')
    .argument('<id>')
    .action(async (id: string) => {
      const { deleteTrigger } = await import('../../store/trigger-queries');
      if (!deleteTrigger(await cli.db(), triggerId(id))) throw new FlowdeckError('not-found', `unknown trigger ${id}`);
      await out(`trigger ${id} removed\n`);
    });
}
