import { EventEmitter } from 'node:events';
import type { ExecutionSummary, LogStream, StepRunRecord } from '../../src-shared/domain/execution';

export interface EngineEventMap {
  execution: [ExecutionSummary];
  stepRun: [StepRunRecord];
  log: [{ executionId: number; stepRunId: number; stream: LogStream; ts: number; data: string }];
}

/** What the engine tells its watchers (the CLI's progress line, the console over IPC). */
export class EngineEvents extends EventEmitter<EngineEventMap> {}
