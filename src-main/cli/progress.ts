import type { EngineEvents } from '../engine/events';
import type { StepRunRecord } from '../../src-shared/domain/execution';

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
  events.on('stepRun', onRun);
  return () => {
    events.off('stepRun', onRun);
    if (tty) process.stderr.write('\r\x1b[2K');
  };
}
