import type { ApprovalView, ExecutionSummary, LogStream, StepRunRecord } from '../../src-shared/domain/execution';
import { formatError } from '../../src-shared/errors';
import type { EventName, Events } from '../../src-shared/ipc/contract';
import type { EngineEventMap, EngineEvents, Notice } from '../engine/events';

export type EmitEvent = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface EventBatcher {
  /** Emits what is buffered now (before a shutdown, or in tests). */
  flush(): void;
  /** Stops listening to the engine; what is still buffered is dropped (call flush first to keep it). */
  close(): void;
}

export interface EventBatcherOptions {
  /**
   * Live output sent per step run per interval, in characters; past it the rest of that interval
   * is replaced by one `system` line saying how much was left out (the log itself keeps all of
   * it, `executions/log` pages it). A step printing 50 MB/s must not push 50 MB/s to a window.
   */
  maxLogCharsPerInterval?: number;
}

type LiveChunk = Events['log/appended']['chunks'][number];

interface LogBuffer {
  executionId: number;
  chunks: LiveChunk[];
  chars: number;
  dropped: number;
}

/**
 * Coalesces the engine's events into the contract's, at most once per interval: the latest
 * state of each execution (`execution/changed`), one `stepRuns/changed` per execution with the
 * latest state of each of its step runs, and the new output of each step run concatenated
 * (`log/appended`, consecutive chunks of a stream joined). Logs go first, then step runs, then
 * executions, so a window never sees a run finished before its last output.
 */
export function createEventBatcher(events: EngineEvents, emit: EmitEvent, intervalMs = 100, opts: EventBatcherOptions = {}): EventBatcher {
  const maxLogChars = opts.maxLogCharsPerInterval ?? 1024 * 1024;
  let executions = new Map<number, ExecutionSummary>();
  let stepRuns = new Map<number, Map<number, StepRunRecord>>();
  let logs = new Map<number, LogBuffer>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (): void => {
    if (!timer && !closed) timer = setTimeout(flush, intervalMs);
  };

  const safeEmit: EmitEvent = (event, payload) => {
    try {
      emit(event, payload);
    } catch (e) {
      // One failing listener must not cost the others their updates.
      process.stderr.write(`flowdeck: could not deliver ${event}: ${formatError(e)}\n`);
    }
  };

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const [e, s, l] = [executions, stepRuns, logs];
    executions = new Map();
    stepRuns = new Map();
    logs = new Map();
    for (const [stepRunId, buf] of l) {
      const chunks = buf.chunks;
      if (buf.dropped > 0) {
        chunks.push({
          stream: 'system',
          ts: Date.now(),
          data: `\n[flowdeck: ${buf.dropped} more characters of output are not shown live; the full log is kept]\n`,
        });
      }
      safeEmit('log/appended', { executionId: buf.executionId, stepRunId, chunks });
    }
    for (const [executionId, runs] of s) safeEmit('stepRuns/changed', { executionId, runs: [...runs.values()].sort((a, b) => a.id - b.id) });
    for (const summary of e.values()) safeEmit('execution/changed', summary);
  }

  const onExecution = (summary: ExecutionSummary): void => {
    executions.set(summary.id, summary);
    schedule();
  };

  const onStepRun = (run: StepRunRecord): void => {
    let runs = stepRuns.get(run.executionId);
    if (!runs) stepRuns.set(run.executionId, (runs = new Map()));
    runs.set(run.id, run);
    schedule();
  };

  const onLog = (...[chunk]: EngineEventMap['log']): void => {
    let buf = logs.get(chunk.stepRunId);
    if (!buf) logs.set(chunk.stepRunId, (buf = { executionId: chunk.executionId, chunks: [], chars: 0, dropped: 0 }));
    if (buf.chars >= maxLogChars) {
      buf.dropped += chunk.data.length;
    } else {
      const last = buf.chunks.at(-1);
      const stream: LogStream = chunk.stream;
      if (last && last.stream === stream) last.data += chunk.data;
      else buf.chunks.push({ stream, ts: chunk.ts, data: chunk.data });
      buf.chars += chunk.data.length;
    }
    schedule();
  };

  // Rare and wanted at once: approvals, notices and schedule changes pass through unbatched,
  // after whatever is pending, so a notice never arrives before the state it talks about.
  const onApproval = (a: ApprovalView): void => {
    flush();
    safeEmit('approval/changed', a);
  };
  const onNotice = (n: Notice): void => {
    flush();
    safeEmit('notice', n);
  };
  const onSchedules = (s: { ids: number[] }): void => safeEmit('schedules/changed', s);
  const onBatchOrder = (b: { executionId: number }): void => {
    flush();
    safeEmit('batchOrders/changed', { executionId: b.executionId });
  };

  events.on('execution', onExecution);
  events.on('stepRun', onStepRun);
  events.on('log', onLog);
  events.on('approval', onApproval);
  events.on('notice', onNotice);
  events.on('schedules', onSchedules);
  events.on('batchOrder', onBatchOrder);

  return {
    flush,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      events.off('execution', onExecution);
      events.off('stepRun', onStepRun);
      events.off('log', onLog);
      events.off('approval', onApproval);
      events.off('notice', onNotice);
      events.off('schedules', onSchedules);
      events.off('batchOrder', onBatchOrder);
    },
  };
}
