import type { ExecutionStatus } from '../../src-shared/domain/execution';
import type { StartedExecution } from '../engine/executor';
import type { EngineRuntime } from '../engine/runtime';
import { executionReport } from '../store/execution-queries';
import { out } from './io';
import { watchProgress } from './progress';
import { printExecution } from './commands/executions';

/**
 * Runs an execution this process started (run, retry, resume) in the foreground: live progress
 * on stderr, Ctrl-C cancels it (its commands are killed) and waits for it to end cleanly, then
 * the report (or `--json`) on stdout; exit 0 only if it succeeded.
 */
export async function followExecution(rt: EngineRuntime, started: StartedExecution, total: number, json: boolean): Promise<ExecutionStatus> {
  const stopWatching = watchProgress(rt.deps.events, started.id, total);
  const onSignal = (): void => started.cancel('cancelled from the terminal (signal)');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const status = await started.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  stopWatching();
  if (json) await out(JSON.stringify(executionReport(rt.db, started.id), null, 2) + '\n');
  else await printExecution(rt.db, started.id);
  process.exitCode = status === 'succeeded' ? 0 : 1;
  return status;
}
