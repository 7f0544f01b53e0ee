import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import { executionStatuses, type ExecutionStatus } from '../../../src-shared/domain/execution';
import type { Db } from '../../store/db';
import { executionReport, getLabels, listExecutions, type ExecutionQuery } from '../../store/execution-queries';
import type { CliContext } from '../context';
import { out, parseKeyValues } from '../io';
import { duration, table, time } from '../format';

export function parseExecutionId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new FlowdeckError('invalid-input', `"${raw}" is not an execution id (a positive number)`);
  return id;
}

/** The element x step grid of an execution as text: the last attempt of each cell, with its attempt count. */
export async function printExecution(db: Db, id: number): Promise<void> {
  const rep = executionReport(db, id);
  if (!rep) throw new FlowdeckError('not-found', `unknown execution ${id}`);
  const labels = Object.entries(getLabels(db, id)).map(([k, v]) => `${k}=${v.join(',')}`);
  const head = [
    `execution #${rep.id}  flow ${rep.flow} v${rep.flowVersion}  ${rep.status.toUpperCase()}`,
    `started ${time(rep.startedAt)}  finished ${time(rep.finishedAt)}  took ${duration(rep.startedAt, rep.finishedAt)}  trigger ${rep.trigger}`,
  ];
  if (labels.length) head.push(`labels ${labels.join(' ')}`);
  if (rep.error) head.push(`error: ${rep.error}`);
  const last = new Map<string, (typeof rep.runs)[number]>();
  for (const r of rep.runs) last.set(`${r.element}\u0000${r.step}`, r);
  const rows = [...last.values()].map((r) => [
    r.element,
    r.step,
    r.status + (r.attempt > 1 ? ` (attempt ${r.attempt})` : ''),
    r.exitCode === null ? '-' : String(r.exitCode),
    duration(r.startedAt, r.finishedAt),
    r.error ?? '',
  ]);
  await out(head.join('\n') + '\n\n' + table(['ELEMENT', 'STEP', 'STATUS', 'EXIT', 'TOOK', 'ERROR'], rows));
}

const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `2026-11-20`, `2026-11-20T08:00:00Z`, or an age back from now (`90m`, `12h`, `7d`): epoch ms. */
function parseWhen(raw: string, flag: string, now = Date.now()): number {
  const age = /^(\d+)([smhdw])$/.exec(raw.trim());
  if (age) return now - Number(age[1]) * (AGE_UNITS[age[2] as string] as number);
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw.trim()) || Number.isNaN(t)) {
    throw new FlowdeckError('invalid-input', `${flag} "${raw}" is neither an ISO date/time (2026-11-20, 2026-11-20T08:00:00Z) nor an age (30m, 12h, 7d)`);
  }
  return t;
}

export function executionCommands(program: Command, cli: CliContext): void {
  const ex = program.command('executions').description('execution history');

  ex.command('list')
    .description('executions, newest first')
    .option('--json', 'print JSON: [{ id, flow, status, startedAt, finishedAt }]')
    .option('--flow <id>')
    .option('--status <status>')
    .option('--element <id>')
    .option('--label <key[=value]>')
    .option('--since <when>', 'queued at or after: an ISO date/time, or an age like 30m, 12h, 7d')
    .option('--until <when>', 'queued before: an ISO date/time, or an age like 30m, 12h, 7d')
    .option('--limit <n>', 'at most n (default 50)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; flow?: string; status?: string; element?: string; label?: string; since?: string; until?: string; limit?: number }) => {
      if (opts.status && !executionStatuses.includes(opts.status as ExecutionStatus)) {
        throw new FlowdeckError('invalid-input', `--status must be one of ${executionStatuses.join(', ')}`);
      }
      const q: ExecutionQuery = { limit: opts.limit ?? 50 };
      if (opts.flow) q.flow = opts.flow;
      if (opts.status) q.status = opts.status as ExecutionStatus;
      if (opts.element) q.element = opts.element;
      if (opts.label) {
        const kv = opts.label.includes('=') ? parseKeyValues([opts.label], 'label') : { [opts.label]: undefined };
        const [key, value] = Object.entries(kv)[0] as [string, string | undefined];
        q.label = value === undefined ? { key } : { key, value };
      }
      if (opts.since !== undefined) q.since = parseWhen(opts.since, '--since');
      if (opts.until !== undefined) q.until = parseWhen(opts.until, '--until');
      const list = listExecutions(await cli.db(), q);
      if (opts.json) {
        await out(JSON.stringify(list.map((e) => ({ id: e.id, flow: e.flow, status: e.status, startedAt: e.startedAt, finishedAt: e.finishedAt, trigger: e.trigger, flowVersion: e.flowVersion, ...(e.triggerId !== null ? { triggerId: e.triggerId } : {}) })), null, 2) + '\n');
        return;
      }
      await out(table(['ID', 'FLOW', 'STATUS', 'STARTED', 'TOOK', 'TRIGGER'], list.map((e) => [String(e.id), e.flow, e.status, time(e.startedAt), duration(e.startedAt, e.finishedAt), e.trigger])));
    });

  ex.command('show')
    .description('one execution: status and every step run')
    .argument('<id>')
    .option('--json', 'print JSON: { id, flow, status, startedAt, finishedAt, runs: [...] }')
    .action(async (raw: string, opts: { json?: boolean }) => {
      const id = parseExecutionId(raw);
      const db = await cli.db();
      if (!opts.json) return printExecution(db, id);
      const rep = executionReport(db, id);
      if (!rep) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      await out(JSON.stringify({ ...rep, labels: getLabels(db, id) }, null, 2) + '\n');
    });
}
