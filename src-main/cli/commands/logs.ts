import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import { getExecution, listStepRuns } from '../../store/execution-queries';
import { iterateLog } from '../../store/log-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { parseExecutionId } from './executions';

export function logsCommand(program: Command, cli: CliContext): void {
  program
    .command('logs')
    .description("print an execution's logs, step run by step run")
    .argument('<id>', 'execution id')
    .option('--element <id>', 'only this element')
    .option('--step <path>', 'only this step (a child step is F2/B)')
    .option('--raw', 'output only, without the step run headers')
    .action(async (raw: string, opts: { element?: string; step?: string; raw?: boolean }) => {
      const id = parseExecutionId(raw);
      const db = await cli.db();
      if (!getExecution(db, id)) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      const runs = listStepRuns(db, id).filter(
        (r) => (!opts.element || r.element === opts.element) && (!opts.step || r.step === opts.step),
      );
      if (runs.length === 0 && (opts.element || opts.step)) {
        const what = [opts.element && `element "${opts.element}"`, opts.step && `step "${opts.step}"`].filter(Boolean).join(' and ');
        throw new FlowdeckError('not-found', `execution ${id} has no step run for ${what}`);
      }
      for (const r of runs) {
        if (!opts.raw) await out(`==> ${r.element} ${r.step} (attempt ${r.attempt}): ${r.status}${r.exitCode !== null ? `, exit ${r.exitCode}` : ''}${r.error ? ` - ${r.error}` : ''}\n`);
        let endsWithNewline = true;
        for (const chunk of iterateLog(db, [r.id])) {
          await out(chunk.data);
          endsWithNewline = chunk.data.endsWith('\n');
        }
        if (!endsWithNewline) await out('\n');
      }
    });
}
