import type { Db } from '../store/db';
import type { Sandbox } from '../sandbox';
import type { FlowDocument, TaskDocument } from '../../src-shared/domain/flow';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import type { Transport } from '../transport/types';
import type { ConnectionPool } from '../transport/pool';
import type { EngineEvents } from './events';
import type { LogSink } from './log-sink';
import type { ControlHub } from './control-hub';
import type { PauseGate } from './pause-gate';
import type { ResumeState } from './resume-state';
import type { StopScope } from './stop-scope';
import type { EngineClock, RateLimiter } from './rate-limit';
import type { StepJournal } from './journal';
import type { StepResult } from './step-result';

/** What the engine needs from the outside world; the CLI, the console and the tests each build one. */
export interface EngineDeps {
  db: Db;
  sandbox: Sandbox;
  events: EngineEvents;
  /** Where step runs are recorded as they start and end (SQLite, announced on `events`). */
  journal: StepJournal;
  /** Picks the transport for an element (`local: true` for steps with `target: local`). */
  transportFor(element: ResolvedElement, local: boolean): Transport;
  owner: { pid: number; host: string };
  /** Follows pause/cancel/approval requests written by any process. */
  control: ControlHub;
  /** Who answers approvals from this process (the OS user). */
  operator: string;
  /** Every secret a log could echo (credential passwords, passphrases, keys); redacted as `***`. */
  secrets?(): string[];
  /** The time rate limits wait by (the real clock unless a test moves its own). */
  clock?: EngineClock;
}

/** Why a running step's signal was aborted; decides the step run's final status. */
export type AbortReason =
  | { kind: 'timeout'; seconds: number }
  | { kind: 'cancel'; message: string }
  | { kind: 'fail-fast'; message: string }
  /** The execution cannot keep its record (the disk is full): everything stops and it fails. */
  | { kind: 'broken'; message: string };

export function abortReasonOf(signal: AbortSignal): AbortReason | undefined {
  if (!signal.aborted) return undefined;
  const r: unknown = signal.reason;
  if (r && typeof r === 'object' && 'kind' in r) return r as AbortReason;
  return { kind: 'cancel', message: 'cancelled' };
}

/** Shared by an execution and all its child flow runs. */
export interface ExecutionContext {
  deps: EngineDeps;
  executionId: number;
  rootFlow: FlowDocument;
  params: Record<string, JsonValue>;
  startedAt: number;
  trigger: string;
  /** Aborted by cancel and by the flow timeout: everything running stops. */
  cancel: AbortController;
  pool: ConnectionPool;
  logs: LogSink;
  inventory: ReadonlyMap<string, ResolvedElement>;
  flows: ReadonlyMap<string, { doc: FlowDocument; version: number }>;
  tasks: ReadonlyMap<string, TaskDocument>;
  /** Closed while the execution is paused: no new step run starts. */
  gate: PauseGate;
  /** Set when the execution continues after a failure, a cancel or a crash: what it already did. */
  resume: ResumeState | null;
}


interface ParentInfo {
  flow: string;
  step: string;
  element: ResolvedElement | null;
  params: Record<string, JsonValue>;
}

/**
 * One run of one flow (the root, or a child called by a `flow` step). Failure policy is
 * scoped here: a child that stops does not by itself stop its parent; the parent sees the
 * child's result on the `flow` step and applies its own policy.
 */
export interface FlowScope {
  ctx: ExecutionContext;
  flow: FlowDocument;
  /** `F2/` inside the child called by step F2; '' at the root. */
  prefix: string;
  depth: number;
  /** The scope of the flow that called this one. */
  up: FlowScope | null;
  elements: ResolvedElement[];
  params: Record<string, JsonValue>;
  parent: ParentInfo | null;
  /** This scope's one stop signal: the execution's cancel, an enclosing scope's stop, or fail-fast here. */
  abort: StopScope;
  /** The flow's `rateLimit`, for this run of it; a step start passes every limiter up to the root. */
  rate: RateLimiter | null;
  stopping: boolean;
  stopReason: string | null;
  /** Element id -> results in this flow run. */
  results: Map<string, Record<string, StepResult>>;
  failedElements: Set<string>;
  /** Elements that went through every step (succeeded, skipped by `when`, or failed with continueOnError). */
  finished: Set<string>;
}
