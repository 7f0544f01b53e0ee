import { EventEmitter } from 'node:events';
import type { ApprovalView, ExecutionStatus, ExecutionSummary, LogStream, StepRunRecord } from '../../src-shared/domain/execution';

export interface Notice {
  kind: 'finished' | 'approval';
  executionId: number;
  flow: string;
  status: ExecutionStatus;
  message: string;
}

export interface EngineEventMap {
  execution: [ExecutionSummary];
  stepRun: [StepRunRecord];
  log: [{ executionId: number; stepRunId: number; stream: LogStream; ts: number; data: string }];
  approval: [ApprovalView];
  /** A run ended or waits for an operator: worth a desktop notification. */
  notice: [Notice];
  /** A flow with `gather` decided the order of a batch (kept with the execution). */
  batchOrder: [{ executionId: number; path: string; batch: number }];
  /** Schedules were added, changed or removed (by this process). */
  schedules: [{ ids: number[] }];
}

/** What the engine tells its watchers (the CLI's progress line, the console over IPC). */
export class EngineEvents extends EventEmitter<EngineEventMap> {}
