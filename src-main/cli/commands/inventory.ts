import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { InventoryFormat } from '../../inventory';
import type { HandEdit } from '../../inventory/merge';
import { loadInventory } from '../../store/inventory-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { table } from '../format';

const formats: readonly InventoryFormat[] = ['ansible-ini', 'ansible-yaml', 'flowdeck-yaml', 'ssh-config'];

/** What an import did, as `importSummary` reports it. */
interface ImportChanges {
  added: readonly string[];
  updated: readonly string[];
  unchanged: readonly string[];
  /** `kind:id` of elements and groups a file listed before and no file lists now (kept). */
  left?: readonly string[];
  /** Hand edits kept against what the files say. */
  handKept?: readonly HandEdit[];
}

/** `web1, web2, web3` or `web1, web2, web3 and 4 more`: a summary line stays one line. */
function names(keys: readonly string[], max = 5): string {
  const ids = keys.map((k) => k.slice(k.indexOf(':') + 1));
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/**
 * What an import changed, elements first: `32 elements added, 0 updated, 0 unchanged; groups: 4
 * added`. The keys are `kind:id` (element, group, profile); counting them all as one number
 * would call a 32-host inventory with 3 groups "35 added". Then, when there are any, the
 * elements and groups no file lists any more (kept, so the operator decides) and the hand edits
 * kept over what the files say.
 */
function importSummary(changes: ImportChanges): string {
  const count = (kind: string, list: readonly string[]): number => list.filter((k) => k.startsWith(`${kind}:`)).length;
  const line = (kind: string): string => `${count(kind, changes.added)} added, ${count(kind, changes.updated)} updated, ${count(kind, changes.unchanged)} unchanged`;
  const parts = [`elements: ${line('element')}`];
  for (const kind of ['group', 'profile']) {
    const any = count(kind, changes.added) + count(kind, changes.updated) + count(kind, changes.unchanged);
    if (any > 0) parts.push(`${kind}s: ${line(kind)}`);
  }
  const left = changes.left ?? [];
  for (const kind of ['element', 'group']) {
    const these = left.filter((k) => k.startsWith(`${kind}:`));
    if (these.length > 0) parts.push(`${these.length} ${kind}${these.length === 1 ? '' : 's'} in no file any more, kept: ${names(these)}`);
  }
  const hand = changes.handKept ?? [];
  if (hand.length > 0) {
    const shown = hand.slice(0, 5).map((h) => `${h.key.slice(h.key.indexOf(':') + 1)} (${h.fields.join(', ')})`);
    parts.push(`hand edits kept over the files: ${shown.join(', ')}${hand.length > 5 ? ` and ${hand.length - 5} more` : ''}`);
  }
  return parts.join('; ');
}

export function inventoryCommands(program: Command, cli: CliContext): void {
  const inv = program.command('inventory').description('elements, groups and profiles');

  inv
    .command('import')
    .description('import Ansible (INI/YAML), OpenSSH config or Flowdeck YAML inventories; importing again updates')
    .argument('<files...>')
    .option('--format <format>', `one of ${formats.join(', ')} (default: detected)`)
    .option('--json', 'print what changed as JSON')
    .action(async (files: string[], opts: { format?: string; json?: boolean }) => {
      if (opts.format && !formats.includes(opts.format as InventoryFormat)) {
        throw new FlowdeckError('invalid-input', `--format must be one of ${formats.join(', ')}`);
      }
      const { parseInventorySource, readInputFile } = await import('../../inventory');
      const { importInventoryFiles } = await import('../../store/inventory-source-queries');
      // Parse everything first: one bad file means nothing is written. A file is known by its
      // absolute path, so importing it again from another folder replaces what it said.
      const parsed = files.map((f) => ({
        source: resolve(f),
        ...parseInventorySource(readInputFile(f), f, opts.format as InventoryFormat | undefined, { home: homedir(), varsDir: dirname(resolve(f)) }),
      }));
      const r = importInventoryFiles(await cli.db(), parsed);
      const changes = { added: r.added, updated: r.updated, unchanged: r.unchanged, left: r.left, handKept: r.handKept };
      if (opts.json) await out(JSON.stringify(changes, null, 2) + '\n');
      else await out(`imported ${files.map((f) => basename(f)).join(', ')}: ${importSummary(changes)}\n`);
    });

  inv
    .command('list')
    .description('list elements with their effective settings')
    .option('--json', 'print JSON (effective context included)')
    .action(async (opts: { json?: boolean }) => {
      const { resolveElements } = await import('../../inventory');
      const resolved = resolveElements(loadInventory(await cli.db()));
      if (opts.json) {
        await out(JSON.stringify(resolved, null, 2) + '\n');
        return;
      }
      await out(
        table(
          ['ID', 'HOST', 'PORT', 'USER', 'TRANSPORT', 'GROUPS', 'ENABLED'],
          resolved.map((e) => [e.id, e.host, String(e.port), e.user ?? '-', e.transport, e.groups.join(',') || '-', e.enabled ? 'yes' : 'no']),
        ),
      );
    });

  inv
    .command('export')
    .description('export the inventory as Flowdeck YAML (credential references only, never secrets)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const { serializeFlowdeckInventoryYaml } = await import('../../inventory');
      const yaml = serializeFlowdeckInventoryYaml(loadInventory(await cli.db()));
      if (opts.out) writeFileSync(opts.out, yaml);
      else await out(yaml);
    });
}
