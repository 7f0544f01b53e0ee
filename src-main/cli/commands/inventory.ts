import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { InventoryFormat } from '../../inventory';
import { loadInventory, saveInventory } from '../../store/inventory-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { table } from '../format';

const formats: readonly InventoryFormat[] = ['ansible-ini', 'ansible-yaml', 'flowdeck-yaml', 'ssh-config'];

/**
 * What an import changed, elements first: `32 elements added, 0 updated, 0 unchanged; groups: 4
 * added`. The keys are `kind:id` (element, group, profile); counting them all as one number
 * would call a 32-host inventory with 3 groups "35 added".
 */
export function importSummary(changes: Record<'added' | 'updated' | 'unchanged', readonly string[]>): string {
  const count = (kind: string, list: readonly string[]): number => list.filter((k) => k.startsWith(`${kind}:`)).length;
  const line = (kind: string): string => `${count(kind, changes.added)} added, ${count(kind, changes.updated)} updated, ${count(kind, changes.unchanged)} unchanged`;
  const parts = [`elements: ${line('element')}`];
  for (const kind of ['group', 'profile']) {
    const any = count(kind, changes.added) + count(kind, changes.updated) + count(kind, changes.unchanged);
    if (any > 0) parts.push(`${kind}s: ${line(kind)}`);
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
      const { mergeInventory, parseInventory, readInputFile } = await import('../../inventory');
      // Parse everything first: one bad file means nothing is written.
      const docs = files.map((f) => parseInventory(readInputFile(f), f, opts.format as InventoryFormat | undefined, { home: homedir() }));
      const db = await cli.db();
      let current = loadInventory(db);
      const added: string[] = [];
      const updated: string[] = [];
      const unchanged: string[] = [];
      for (const doc of docs) {
        const r = mergeInventory(current, doc);
        current = r.doc;
        added.push(...r.added);
        updated.push(...r.updated);
        unchanged.push(...r.unchanged);
      }
      saveInventory(db, current);
      if (opts.json) await out(JSON.stringify({ added, updated, unchanged }, null, 2) + '\n');
      else await out(`imported ${files.map((f) => basename(f)).join(', ')}: ${importSummary({ added, updated, unchanged })}\n`);
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
