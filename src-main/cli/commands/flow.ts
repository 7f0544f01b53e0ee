import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { ParsedFlowFile } from '../../flows/parse';
import { checkFlowSet, saveFlowSet } from '../../flows/save';
import { getFlow, listFlows, listTasks } from '../../store/flow-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { table, time } from '../format';

/**
 * Templates, expressions and processing scripts that could never run are refused now, at
 * their line, not when a step reaches them. Returns the raw insertions, one line each.
 */
async function checkTexts(parsed: readonly ParsedFlowFile[]): Promise<string[]> {
  const [{ checkStatically, documentsOf, rawFindingLine }, { loadSandbox }] = await Promise.all([import('../../flows/static-check'), import('../../sandbox')]);
  const report = await checkStatically(await loadSandbox(), documentsOf(parsed));
  const first = report.problems[0];
  if (first) throw first;
  return report.raws.map(rawFindingLine);
}

async function readFlowFiles(files: readonly string[]): Promise<ParsedFlowFile[]> {
  const [{ parseFlowFile }, { readInputFile }] = await Promise.all([import('../../flows/parse'), import('../../inventory/input-limits')]);
  return files.map((f) => parseFlowFile(readInputFile(f), f));
}

export function flowCommands(program: Command, cli: CliContext): void {
  const flow = program.command('flow').description('flows and the task library');

  flow
    .command('import')
    .description('import flow files (YAML; a document with `kind: task` adds a task to the library); a changed flow gets a new version')
    .argument('<files...>')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const parsed = await readFlowFiles(files);
      await checkTexts(parsed);
      const report = saveFlowSet(await cli.db(), parsed);
      if (opts.json) {
        await out(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      for (const t of report.tasks) await out(`task ${t} saved\n`);
      for (const f of report.flows) await out(`flow ${f.id} ${f.changed ? `saved as version ${f.version}` : `unchanged (version ${f.version})`}\n`);
    });

  flow
    .command('validate')
    .description('check flow files against the schema, the task library and the stored flows, writing nothing')
    .argument('<files...>')
    .action(async (files: string[]) => {
      const parsed = await readFlowFiles(files);
      checkFlowSet(await cli.db(), parsed);
      const raws = await checkTexts(parsed);
      for (const [i, p] of parsed.entries()) {
        await out(`${files[i]}: ok (${p.flows.map((f) => `flow ${f.doc.id}`).concat(p.tasks.map((t) => `task ${t.id}`)).join(', ')})\n`);
      }
      // Every place a value goes in unescaped, for whoever reviews the flow.
      for (const line of raws) await out(`${line}\n`);
    });

  flow
    .command('list')
    .description('list flows (and the task library with --tasks)')
    .option('--json', 'print JSON')
    .option('--tasks', 'list the task library instead')
    .action(async (opts: { json?: boolean; tasks?: boolean }) => {
      const db = await cli.db();
      if (opts.tasks) {
        const tasks = listTasks(db);
        if (opts.json) await out(JSON.stringify(tasks, null, 2) + '\n');
        else await out(table(['ID', 'NAME', 'PARAMS'], tasks.map((t) => [t.id, t.name, t.params.map((p) => p.name).join(',') || '-'])));
        return;
      }
      const flows = listFlows(db);
      if (opts.json) await out(JSON.stringify(flows, null, 2) + '\n');
      else await out(table(['ID', 'NAME', 'MODE', 'STEPS', 'VERSION', 'UPDATED'], flows.map((f) => [f.id, f.name, f.mode, String(f.steps), String(f.version), time(f.updatedAt)])));
    });

  flow
    .command('export')
    .description('print a flow as YAML, as it was saved (comments kept)')
    .argument('<id>')
    .option('--version <n>', 'an older version', (v) => Number.parseInt(v, 10))
    .action(async (id: string, opts: { version?: number }) => {
      const stored = getFlow(await cli.db(), id, opts.version);
      if (!stored) throw new FlowdeckError('not-found', opts.version ? `flow "${id}" has no version ${opts.version}` : `unknown flow "${id}"`);
      await out(stored.source.endsWith('\n') ? stored.source : stored.source + '\n');
    });
}
