import type { Command } from 'commander';
import type { JsonValue } from '../../../src-shared/domain/inventory';
import type { Plan } from '../../engine/plan';
import type { CliContext } from '../context';
import { CliExit, collect, err, out, parseKeyValues } from '../io';

function planText(plan: Plan): string {
  const lines = [
    `plan for flow ${plan.flow} v${plan.version} (${plan.mode}), ${plan.elements.length} element(s): ${plan.elements.join(', ') || '(none)'}`,
  ];
  plan.waves.forEach((wave, i) => {
    const runs = wave.map((r) => `${r.step}@${r.element}${r.when ? ` [when ${r.when}]` : ''}`);
    lines.push(`${String(i + 1).padStart(4)}  ${runs.length > 1 ? `{ ${runs.join(', ')} }` : runs[0]}`);
  });
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

export function runCommand(program: Command, cli: CliContext): void {
  program
    .command('run')
    .description('run a flow now; exit 0 only if the execution succeeded')
    .argument('<flow>')
    .option('-p, --param <key=value>', 'a flow parameter (repeatable)', collect, [])
    .option('-e, --elements <ids>', 'run on these elements (comma-separated) instead of the targets')
    .option('-l, --label <key=value>', 'label the execution (repeatable)', collect, [])
    .option('--priority <n>', 'when the limit of executions at once is reached, higher starts first (default 0)', (v) => Number.parseInt(v, 10))
    .option('--dry-run', 'print the plan (elements in order, steps, child flows) and touch no host')
    .option('--json', 'print the execution (or the plan) as JSON on stdout; progress goes to stderr')
    .action(async (flow: string, opts: { param: string[]; elements?: string; label: string[]; priority?: number; dryRun?: boolean; json?: boolean }) => {
      if (opts.priority !== undefined && !Number.isInteger(opts.priority)) throw new CliExit(2, 'flowdeck: --priority must be a whole number');
      const rt = await cli.runtime();
      const labels: Record<string, string[]> = {};
      for (const l of opts.label) {
        const [[k, v]] = Object.entries(parseKeyValues([l], 'label')) as [[string, string]];
        (labels[k] ??= []).push(v);
      }
      const req = {
        flow,
        params: parseKeyValues(opts.param, 'param') as Record<string, JsonValue>,
        trigger: 'cli' as const,
        labels,
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        ...(opts.elements !== undefined ? { elements: opts.elements.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      };
      const { prepareRun, startExecution } = await import('../../engine/executor');
      const prepared = await prepareRun(rt.deps, req);
      if (opts.dryRun) {
        const { buildPlan } = await import('../../engine/plan');
        const plan = await buildPlan(rt.deps.sandbox, prepared);
        await out(opts.json ? JSON.stringify(plan, null, 2) + '\n' : planText(plan));
        return;
      }
      const started = startExecution(rt.deps, req, prepared);
      if (!opts.json) err(`execution #${started.id} of ${flow} started on ${prepared.elements.length} element(s)`);
      const { followExecution } = await import('../follow');
      await followExecution(rt, started, prepared.elements.length, opts.json === true);
    });
}
