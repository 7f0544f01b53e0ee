import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { SettingsView } from '../../../src-shared/ipc/contract';
import { DEFAULT_SETTINGS, getSettings, saveSettings } from '../../store/settings-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { table } from '../format';

type SettingKey = keyof SettingsView;
const KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

/** What each setting means, for `settings get` without --json. */
const MEANING: Record<SettingKey, string> = {
  retentionDays: 'executions and logs older than this many days are removed (none: keep everything)',
  maxConcurrentExecutions: 'executions running at once, across every process on this database',
  maxQueuedExecutions: 'executions waiting for a slot; one more is refused at once (none: no limit)',
};

function settingKey(text: string): SettingKey {
  if ((KEYS as string[]).includes(text)) return text as SettingKey;
  throw new FlowdeckError('invalid-input', `unknown setting "${text}" (settings: ${KEYS.join(', ')})`);
}

/** `none`/`null`/`unlimited` clear a setting that may be unset; whole numbers are numbers. */
function settingValue(text: string): unknown {
  if (/^(none|null|unlimited)$/i.test(text.trim())) return null;
  if (/^-?\d+$/.test(text.trim())) return Number(text);
  return text;
}

const shown = (v: unknown): string => (v === null ? 'none' : String(v));

export function settingsCommands(program: Command, cli: CliContext): void {
  const settings = program.command('settings').description('the settings the console has: retention and limits');

  settings
    .command('get')
    .description('print the settings, or one of them')
    .argument('[key]')
    .option('--json', 'print JSON')
    .action(async (key: string | undefined, opts: { json?: boolean }) => {
      const view = getSettings(await cli.db());
      if (key !== undefined) {
        const k = settingKey(key);
        await out(opts.json ? JSON.stringify(view[k]) + '\n' : `${shown(view[k])}\n`);
        return;
      }
      if (opts.json) await out(JSON.stringify(view, null, 2) + '\n');
      else await out(table(['SETTING', 'VALUE', 'MEANING'], KEYS.map((k) => [k, shown(view[k]), MEANING[k]])));
    });

  settings
    .command('set')
    .description('change a setting; checked by the same rules as the Settings page')
    .argument('<key>')
    .argument('<value>', 'a whole number, or none')
    .addHelpText('after', '\nExamples:\n  flowdeck settings set maxQueuedExecutions 20\n  flowdeck settings set retentionDays none\n')
    .action(async (key: string, value: string) => {
      const k = settingKey(key);
      const { requestSchemas } = await import('../../../src-shared/ipc/contract');
      const parsed = requestSchemas['settings/save'].safeParse({ [k]: settingValue(value) });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new FlowdeckError('invalid-input', `${k} cannot be ${JSON.stringify(value)}: ${issue?.message ?? 'invalid'}`);
      }
      const saved = saveSettings(await cli.db(), parsed.data);
      await out(`${k} = ${shown(saved[k])}\n`);
    });
}
