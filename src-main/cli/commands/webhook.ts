import { InvalidArgumentError, type Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import { webhookEvents, type WebhookEvent } from '../../../src-shared/domain/webhook-events';
import type { WebhookView } from '../../../src-shared/domain/webhooks';
import type { CliContext } from '../context';
import { CliExit, err, out } from '../io';
import { table, time } from '../format';

function parseEvents(text: string): WebhookEvent[] {
  const isEvent = (e: string): e is WebhookEvent => (webhookEvents as readonly string[]).includes(e);
  const list = text.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of list) if (!isEvent(e)) throw new InvalidArgumentError(`"${e}" is not an event (events: ${webhookEvents.join(', ')})`);
  if (list.length === 0) throw new InvalidArgumentError(`name at least one event (${webhookEvents.join(', ')})`);
  return list as WebhookEvent[];
}

function webhookId(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new CliExit(2, `flowdeck: "${text}" is not a webhook id (see \`flowdeck webhook list\`)`);
  return Number(text);
}

function lastDelivery(h: WebhookView): string {
  const d = h.lastDelivery;
  if (!d) return 'none yet';
  const what = d.status === 'delivered' ? `delivered${d.httpStatus !== null ? ` (${d.httpStatus})` : ''}` : `${d.status}: ${d.error ?? ''}`;
  return `${time(d.at)} #${d.executionId} ${d.event}, ${what}`;
}

export function webhookCommands(program: Command, cli: CliContext): void {
  const wh = program
    .command('webhook')
    .description('webhooks: a JSON summary POSTed when an execution ends or waits for an approval, by the process running it');

  wh.command('add')
    .description('add a webhook; prints its id')
    .argument('<url>', 'an http:// or https:// URL')
    .option('--events <list>', `what to announce, comma-separated: ${webhookEvents.join(', ')} (default: all)`, parseEvents)
    .option('--secret-env <var>', 'the NAME of an environment variable holding the signing secret (X-Flowdeck-Signature: sha256=HMAC)')
    .option('--json', 'print the webhook as JSON')
    .addHelpText(
      'after',
      '\nEvents: finished (any end), failed (an end other than succeeded), approval (waits for an answer).\n' +
        'Examples:\n' +
        '  flowdeck webhook add https://ci.example.com/hooks/flowdeck --events finished,approval\n' +
        '  HOOK_SECRET=... flowdeck webhook add https://chat.example.com/in --events failed --secret-env HOOK_SECRET\n',
    )
    .action(async (url: string, opts: { events?: WebhookEvent[]; secretEnv?: string; json?: boolean }) => {
      const [{ secretFromEnv }, { keyFileCipher }, { addWebhook }] = await Promise.all([
        import('../../secrets/secret-sources'),
        import('../../secrets/cipher'),
        import('../../webhooks/add-webhook'),
      ]);
      const secret = opts.secretEnv !== undefined ? secretFromEnv('--secret-env', opts.secretEnv) : undefined;
      const db = await cli.db();
      const cipher = keyFileCipher(cli.dbPath, process.env, {
        onKeyFileCreated: (path) =>
          err(`flowdeck: created the secret key file ${path} (mode 0600); keep it with the database: without it stored secrets cannot be decrypted`),
      });
      const h = addWebhook(db, cipher, { url, ...(opts.events ? { events: opts.events } : {}), ...(secret !== undefined ? { secret } : {}) });
      if (opts.json) await out(JSON.stringify(h, null, 2) + '\n');
      else await out(`webhook ${h.id} added: ${h.url} on ${h.events.join(', ')}${h.signed ? ', signed' : ''}\n`);
    });

  wh.command('list')
    .description('list webhooks with their last delivery (never their secrets)')
    .option('--json', 'print JSON (an array of webhooks)')
    .action(async (opts: { json?: boolean }) => {
      const { listWebhooks } = await import('../../store/webhook-queries');
      const rows = listWebhooks(await cli.db());
      if (opts.json) {
        await out(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      await out(table(['ID', 'URL', 'EVENTS', 'SIGNED', 'LAST DELIVERY'], rows.map((h) => [String(h.id), h.url, h.events.join(','), h.signed ? 'yes' : 'no', lastDelivery(h)])));
    });

  wh.command('rm')
    .description('remove a webhook')
    .argument('<id>')
    .action(async (id: string) => {
      const { deleteWebhook } = await import('../../store/webhook-queries');
      const n = webhookId(id);
      if (!deleteWebhook(await cli.db(), n)) throw new FlowdeckError('not-found', `unknown webhook ${n}`);
      await out(`webhook ${n} removed\n`);
    });
}
