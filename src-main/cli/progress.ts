import type { EngineEvents, Notice } from '../engine/events';
import type { ExecutionStatus, ExecutionSummary, StepRunRecord } from '../../src-shared/domain/execution';

const finished = new Set(['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'interrupted']);

/**
 * Live progress on stderr: on a terminal one line redrawn in place, elsewhere one line per
 * finished step run. stdout stays clean for `--json`.
 */
export function watchProgress(events: EngineEvents, executionId: number, total: number): () => void {
  const tty = process.stderr.isTTY === true;
  const running = new Map<number, StepRunRecord>();
  const doneByElement = new Map<string, boolean>();
  let failed = 0;
  let finishedRuns = 0;
  const draw = (): void => {
    const now = [...running.values()].slice(0, 3).map((r) => `${r.step}@${r.element}`).join(', ');
    const line = `run #${executionId}: ${finishedRuns} step runs done, ${failed} failed, ${doneByElement.size}/${total} elements touched${now ? ` | running ${now}${running.size > 3 ? ' ...' : ''}` : ''}`;
    process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
  };
  const onRun = (r: StepRunRecord): void => {
    if (r.executionId !== executionId) return;
    doneByElement.set(r.element, true);
    if (r.status === 'running') running.set(r.id, r);
    else if (finished.has(r.status)) {
      running.delete(r.id);
      finishedRuns++;
      if (r.status === 'failed' || r.status === 'timed-out') failed++;
      if (!tty && r.kind !== 'flow') {
        process.stderr.write(`${r.status.padEnd(9)} ${r.element} ${r.step}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}${r.error ? `: ${r.error}` : ''}\n`);
      }
    }
    if (tty) draw();
  };
  // Waiting states are said once, on a line of their own, with the command that ends them.
  let lastStatus: ExecutionStatus | null = null;
  const say = (text: string): void => {
    process.stderr.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    if (tty) draw();
  };
  const onExecution = (e: ExecutionSummary): void => {
    if (e.id !== executionId || e.status === lastStatus) return;
    if (e.status === 'paused') say(`run #${executionId}: paused (running steps finish); resume with: flowdeck resume ${executionId}`);
    else if (e.status === 'running' && lastStatus === 'paused') say(`run #${executionId}: resumed`);
    else if (e.status === 'queued') say(`run #${executionId}: queued (the limit of executions at once is reached)`);
    lastStatus = e.status;
  };
  const onNotice = (n: Notice): void => {
    if (n.executionId === executionId && n.kind === 'approval') say(`${n.message}\n  answer with: flowdeck approve ${executionId}   (or: flowdeck approve ${executionId} --reject)`);
  };
  events.on('stepRun', onRun);
  events.on('execution', onExecution);
  events.on('notice', onNotice);
  return () => {
    events.off('stepRun', onRun);
    events.off('execution', onExecution);
    events.off('notice', onNotice);
    if (tty) process.stderr.write('\r\x1b[2K');
  };
}
