import { formatError } from '../../src-shared/errors';
import type { EngineDeps } from './context';
import { startRun, type RunRequest, type StartedExecution } from './executor';

/**
 * The executions this process runs, so a cancel request can reach their AbortController.
 * An execution leaves the table when it ends; one another process runs is never here.
 */
export class LiveExecutions {
  private readonly runs = new Map<number, StartedExecution>();

  /** Plans and starts a run in this process and keeps it here until it ends. */
  async launch(deps: EngineDeps, req: RunRequest): Promise<StartedExecution> {
    const started = await startRun(deps, req);
    this.add(started);
    return started;
  }

  /** Keeps a run started elsewhere in this process (a resume, a retry) until it ends. */
  add(started: StartedExecution): void {
    this.runs.set(started.id, started);
    started.done
      .catch((e: unknown) => {
        // The executor settles every run itself; reaching here is a bug (the database closed under it?).
        process.stderr.write(`flowdeck: execution #${started.id} ended abnormally: ${formatError(e)}\n`);
      })
      .finally(() => this.runs.delete(started.id));
  }

  has(id: number): boolean {
    return this.runs.has(id);
  }

  ids(): number[] {
    return [...this.runs.keys()];
  }

  /** True when this process runs execution `id` and was asked to cancel it. */
  cancel(id: number, message?: string): boolean {
    const run = this.runs.get(id);
    if (!run) return false;
    run.cancel(message);
    return true;
  }

  /**
   * Stops every live execution (cancelled; a paused one stays paused for a later resume) and
   * waits (at most `timeoutMs`) for them to record how they ended.
   */
  async stopAll(message: string, timeoutMs = 15_000): Promise<void> {
    const runs = [...this.runs.values()];
    if (runs.length === 0) return;
    for (const r of runs) r.stop(message);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), deadline]);
    clearTimeout(timer);
  }
}
