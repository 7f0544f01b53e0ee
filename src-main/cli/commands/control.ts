import type { Command } from 'commander';
import { finishedExecutionStatuses, type ExecutionStatus } from '../../../src-shared/domain/execution';
import type { EngineRuntime } from '../../engine/runtime';
import { getExecution } from '../../store/execution-queries';
import type { CliContext } from '../context';
import { err, out } from '../io';
import { parseExecutionId } from './executions';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (a little) until the owning process has acted on a request, so the answer tells what happened. */
async function settle(rt: EngineRuntime, id: number, done: (s: ExecutionStatus) => boolean, ms: number): Promise<ExecutionStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const status = getExecution(rt.db, id)?.status ?? 'interrupted';
    if (done(status) || Date.now() >= until) return status;
    await sleep(100);
  }
}

/** `pause|resume|cancel|retry|approve ID`: control an execution, also one another process runs. */
export function controlCommands(program: Command, cli: CliContext): void {
  program
    .command('pause')
    .description('pause an execution: running steps finish, no new step starts (it stays paused across restarts)')
    .argument('<id>')
    .action(async (raw: string) => {
      const id = parseExecutionId(raw);
      const rt = await cli.runtime();
      const { requestPause } = await import('../../control/requests');
      requestPause(rt.deps, id);
      const status = await settle(rt, id, (s) => s === 'paused' || finishedExecutionStatuses.includes(s), 5000);
      await out(
        status === 'paused'
          ? `execution #${id} paused; steps already running finish. Resume with: flowdeck resume ${id}\n`
          : `execution #${id} is ${status}; the pause was asked for and its process takes it at its next step\n`,
      );
    });

  program
    .command('resume')
    .description('lift a pause; or continue a failed, cancelled or interrupted execution from the failed step (runs it here, like `run`)')
    .argument('<id>')
    .option('--json', 'when it runs here: print the execution as JSON on stdout at the end')
    .action(async (raw: string, opts: { json?: boolean }) => {
      const id = parseExecutionId(raw);
      const rt = await cli.runtime();
      const { requestResume } = await import('../../control/requests');
      const asked = requestResume(rt.deps, id);
      if (asked.lifted) {
        const status = await settle(rt, id, (s) => s !== 'paused', 5000);
        await out(`execution #${id} resumed (${status})\n`);
        return;
      }
      const [{ resumeExecution }, { followExecution }] = await Promise.all([import('../../control/resume'), import('../follow')]);
      const { started, elements } = await resumeExecution(rt.deps, id);
      err(`execution #${id} resumes here on ${elements.length} unfinished element(s): ${elements.join(', ')}`);
      await followExecution(rt, started, elements.length, opts.json === true);
    });

  program
    .command('cancel')
    .description('cancel an execution: running commands are killed')
    .argument('<id>')
    .option('--reason <text>', 'recorded as the execution error', 'cancelled by the operator')
    .action(async (raw: string, opts: { reason: string }) => {
      const id = parseExecutionId(raw);
      const rt = await cli.runtime();
      const { requestCancel } = await import('../../control/requests');
      requestCancel(rt.deps, id, opts.reason);
      const status = await settle(rt, id, (s) => finishedExecutionStatuses.includes(s), 15_000);
      await out(
        finishedExecutionStatuses.includes(status)
          ? `execution #${id} ${status}\n`
          : `execution #${id} is ${status}; its process was asked to cancel it and is stopping its commands\n`,
      );
    });

  program
    .command('retry')
    .description('start a new execution on the failed and not-run elements of an execution (runs it here, like `run`)')
    .argument('<id>')
    .option('--json', 'print the new execution as JSON on stdout at the end')
    .action(async (raw: string, opts: { json?: boolean }) => {
      const id = parseExecutionId(raw);
      const rt = await cli.runtime();
      const [{ retryFailed }, { followExecution }] = await Promise.all([import('../../control/resume'), import('../follow')]);
      const { started, elements } = await retryFailed(rt.deps, id);
      if (!opts.json) err(`execution #${started.id} retries #${id} on ${elements.length} element(s): ${elements.join(', ')}`);
      await followExecution(rt, started, elements.length, opts.json === true);
    });

  program
    .command('approve')
    .description("answer an execution's waiting approval step (approve, or --reject)")
    .argument('<id>')
    .option('--reject', 'reject: the approval step fails')
    .option('--comment <text>', 'recorded with the answer')
    .action(async (raw: string, opts: { reject?: boolean; comment?: string }) => {
      const id = parseExecutionId(raw);
      const rt = await cli.runtime();
      const { answerApproval } = await import('../../control/requests');
      const a = answerApproval(rt.deps, id, opts.reject ? 'reject' : 'approve', opts.comment);
      await out(`step "${a.step}" of execution #${id} ${a.status} by ${a.decidedBy ?? '?'}${a.comment ? ` (${a.comment})` : ''}\n`);
    });
}
