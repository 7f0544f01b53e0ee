import { FlowdeckError, formatError } from '../../src-shared/errors';
import type { FlowDocument, TaskDocument } from '../../src-shared/domain/flow';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import type { ExecutionStatus, ExecutionSummary, ExecutionTrigger } from '../../src-shared/domain/execution';
import { createExecution, finishExecution, getExecution, orphanPaused, releaseHolds } from '../store/execution-queries';
import { setExecutionStatus } from '../store/control-queries';
import { currentFlows, listTasks } from '../store/flow-queries';
import { loadInventory } from '../store/inventory-queries';
import { resolveElements } from '../inventory/resolve';
import { checkFlowGraph } from '../flows/graph';
import { ConnectionPool } from '../transport/pool';
import { abortReasonOf, type EngineDeps, type ExecutionContext, type FlowScope } from './context';
import { LogSink } from './log-sink';
import { runFlowScope } from './flow-runner';
import { resolveParams } from './params';
import { applyProcessing, pickElements, refuseEmpty, selectTargets } from './targets';
import { PauseGate } from './pause-gate';
import type { ResumeState } from './resume-state';
import { slotFreed, waitForTurn } from './admission';
import { StopScope } from './stop-scope';
import { RateLimiter } from './rate-limit';
import { refuseUnrunnable } from './runnable';
import { getSettings } from '../store/settings-queries';
import { queueLoad } from '../store/queue-queries';
import { STALE_MS } from './ownership';

export interface RunRequest {
  flow: string;
  params?: Record<string, JsonValue>;
  /** An explicit element list instead of the flow's targets. */
  elements?: string[];
  trigger?: ExecutionTrigger;
  labels?: Record<string, string | string[]>;
  /** Higher starts first when the queue is full. */
  priority?: number;
  /** The schedule that fired it. */
  scheduleId?: number;
  /** The HTTP trigger that started it. */
  triggerId?: string;
  /** The execution this one retries. */
  originId?: number;
}

/** Everything a run needs, resolved before anything is written: a bad request leaves no trace. */
export interface PreparedRun {
  flow: FlowDocument;
  version: number;
  params: Record<string, JsonValue>;
  elements: ResolvedElement[];
  inventory: Map<string, ResolvedElement>;
  flows: Map<string, { doc: FlowDocument; version: number }>;
  tasks: Map<string, TaskDocument>;
}

/** The planner's half: flow, params, targets, processing script. Throws FlowdeckError. */
export async function prepareRun(deps: EngineDeps, req: RunRequest): Promise<PreparedRun> {
  const flows = currentFlows(deps.db);
  const stored = flows.get(req.flow);
  if (!stored) throw new FlowdeckError('not-found', `unknown flow "${req.flow}"`);
  const flow = stored.doc;
  checkFlowGraph(flow, (id) => flows.get(id)?.doc);
  const tasks = new Map(listTasks(deps.db).map((t) => [t.id, t]));
  await refuseUnrunnable(deps.sandbox, flow, flows, tasks);
  const resolved = resolveElements(loadInventory(deps.db));
  const inventory = new Map(resolved.map((e) => [e.id, e]));
  const params = resolveParams(flow, req.params ?? {});
  const picked = req.elements ? pickElements(resolved, req.elements) : await selectTargets(deps.sandbox, resolved, flow.targets, flow.id);
  if (!req.elements) refuseEmpty(flow, picked);
  const elements = await applyProcessing(deps.sandbox, flow, picked, params);
  refuseEmpty(flow, elements, picked.length);
  return { flow, version: stored.version, params, elements, inventory, flows, tasks };
}

export interface StartedExecution {
  id: number;
  done: Promise<ExecutionStatus>;
  cancel(message?: string): void;
  /**
   * This process is going away (the app or the console closes): a paused execution stays
   * paused, without an owner, for anyone to resume later (a pause survives a
   * restart); anything else is cancelled.
   */
  stop(message: string): void;
}

/** Params declared `secret: true`: their values never reach the database, the renderer or a log. */
function secretParams(prepared: PreparedRun): { masked: Record<string, JsonValue>; values: string[] } {
  const masked: Record<string, JsonValue> = { ...prepared.params };
  const values: string[] = [];
  for (const p of prepared.flow.params) {
    const v = masked[p.name];
    if (!p.secret || v === undefined) continue;
    masked[p.name] = '***';
    values.push(typeof v === 'string' ? v : JSON.stringify(v));
  }
  return { masked, values };
}

function newContext(deps: EngineDeps, id: number, prepared: PreparedRun, trigger: string, secrets: string[], resume: ResumeState | null): ExecutionContext {
  const cancel = new AbortController();
  // A log that cannot be written (the disk is full) stops the run now rather than at its next step's end.
  const broken = (e: Error): void => cancel.abort({ kind: 'broken', message: `output could not be stored, the log has gaps: ${e.message}` });
  return {
    deps,
    executionId: id,
    rootFlow: prepared.flow,
    params: prepared.params,
    startedAt: Date.now(),
    trigger,
    cancel,
    pool: new ConnectionPool(deps.transportFor, { elements: prepared.inventory, interactive: trigger !== 'schedule' && trigger !== 'http' }),
    logs: new LogSink(deps.db, id, deps.events, [...(deps.secrets?.() ?? []), ...secrets], broken),
    inventory: prepared.inventory,
    flows: prepared.flows,
    tasks: prepared.tasks,
    gate: new PauseGate(),
    resume,
  };
}

const started = (ctx: ExecutionContext, done: Promise<ExecutionStatus>, detach: { paused: boolean }): StartedExecution => ({
  id: ctx.executionId,
  done,
  cancel: (message = 'cancelled by the operator') => ctx.cancel.abort({ kind: 'cancel', message }),
  stop(message) {
    if (ctx.gate.paused) detach.paused = true;
    ctx.cancel.abort({ kind: 'cancel', message });
  },
});

/** Plans and starts a run in one call: the planner's errors come before anything is written. */
export async function startRun(deps: EngineDeps, req: RunRequest): Promise<StartedExecution> {
  return startExecution(deps, req, await prepareRun(deps, req));
}

/**
 * A run that would have to wait while `maxQueuedExecutions` others already wait is refused at
 * once, rather than joining a queue that may never drain in time (a storm of triggers).
 */
function refuseIfQueueFull(db: EngineDeps['db']): void {
  const { maxConcurrentExecutions, maxQueuedExecutions } = getSettings(db);
  if (maxQueuedExecutions === null) return;
  const { running, waiting } = queueLoad(db, Date.now() - STALE_MS);
  if (running + waiting < maxConcurrentExecutions || waiting < maxQueuedExecutions) return;
  throw new FlowdeckError(
    'conflict',
    `the execution queue is full: ${running} running and ${waiting} waiting (settings maxConcurrentExecutions ${maxConcurrentExecutions}, maxQueuedExecutions ${maxQueuedExecutions}); this run was not started`,
  );
}

/** Creates the execution row (`queued`), waits for its turn and walks the plan; `done` settles with the final status. */
export function startExecution(deps: EngineDeps, req: RunRequest, prepared: PreparedRun): StartedExecution {
  const secrets = secretParams(prepared);
  const id = createExecution(deps.db, {
    flow: prepared.flow.id,
    flowVersion: prepared.version,
    trigger: req.trigger ?? 'manual',
    params: secrets.masked,
    elements: prepared.elements.map((e) => e.id),
    ...(req.elements ? { requestedElements: req.elements } : {}),
    ...(req.labels ? { labels: req.labels } : {}),
    ...(req.priority !== undefined ? { priority: req.priority } : {}),
    ...(req.scheduleId !== undefined ? { scheduleId: req.scheduleId } : {}),
    ...(req.triggerId !== undefined ? { triggerId: req.triggerId } : {}),
    ...(req.originId !== undefined ? { originId: req.originId } : {}),
    owner: deps.owner,
  }, () => refuseIfQueueFull(deps.db));
  const ctx = newContext(deps, id, prepared, req.trigger ?? 'manual', secrets.values, null);
  const detach = { paused: false };
  return started(ctx, walk(ctx, prepared, detach), detach);
}

/**
 * Continues an execution this process has just adopted (control/resume.ts): the same flow
 * version, params and elements, skipping every step an element already finished (`done`,
 * read before the adoption).
 */
export function continueExecution(deps: EngineDeps, id: number, prepared: PreparedRun, done: ResumeState): StartedExecution {
  const ctx = newContext(deps, id, prepared, 'resume', [], done);
  const detach = { paused: false };
  return started(ctx, walk(ctx, prepared, detach), detach);
}

function emitExecution(deps: EngineDeps, id: number): ExecutionSummary | undefined {
  const summary = getExecution(deps.db, id);
  if (summary) deps.events.emit('execution', summary);
  return summary;
}

/** Follows pause and cancel requests from any process while the execution lives. */
function followRequests(ctx: ExecutionContext, phase: () => 'queued' | 'running'): () => void {
  const { deps, executionId: id } = ctx;
  return deps.control.watch(id, {
    pause(paused) {
      ctx.gate.set(paused);
      setExecutionStatus(deps.db, id, paused ? 'paused' : phase());
      emitExecution(deps, id);
    },
    cancel(reason) {
      ctx.cancel.abort({ kind: 'cancel', message: reason });
    },
  });
}

async function walk(ctx: ExecutionContext, prepared: PreparedRun, detach: { paused: boolean }): Promise<ExecutionStatus> {
  const { deps, executionId: id } = ctx;
  let phase: 'queued' | 'running' = 'queued';
  const unfollow = followRequests(ctx, () => phase);
  const root: FlowScope = {
    ctx,
    flow: prepared.flow,
    prefix: '',
    depth: 0,
    up: null,
    elements: prepared.elements,
    params: prepared.params,
    parent: null,
    abort: new StopScope(ctx.cancel.signal),
    rate: prepared.flow.rateLimit === undefined ? null : new RateLimiter(prepared.flow.rateLimit, deps.clock),
    stopping: false,
    stopReason: null,
    results: new Map(),
    failedElements: new Set(),
    finished: new Set(),
  };
  let status: ExecutionStatus;
  let error: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    // A pause asked for while queued holds the execution in the queue.
    await ctx.gate.pass(ctx.cancel.signal);
    // Only a run that really waits shows `queued` to its watchers; most start at once.
    if (await waitForTurn(ctx, () => emitExecution(deps, id))) {
      phase = 'running';
      if (ctx.gate.paused) setExecutionStatus(deps.db, id, 'paused');
      emitExecution(deps, id);
      const timeout = prepared.flow.timeout;
      if (timeout !== undefined) timer = setTimeout(() => ctx.cancel.abort({ kind: 'cancel', message: `flow timeout of ${timeout} s reached` }), timeout * 1000);
      await runFlowScope(root);
    }
    const stopped = abortReasonOf(ctx.cancel.signal);
    if (stopped) {
      status = stopped.kind === 'broken' ? 'failed' : 'cancelled';
      error = 'message' in stopped ? stopped.message : 'cancelled';
    } else if (root.failedElements.size > 0) {
      status = 'failed';
      error = root.stopReason ?? `${root.failedElements.size} of ${root.elements.length} elements failed: ${[...root.failedElements].join(', ')}`;
    } else if (root.stopReason !== null) {
      // Stopped with nothing failed: a canary the operator rejected.
      status = 'failed';
      error = root.stopReason;
    } else status = 'succeeded';
  } catch (err) {
    // A bug, not an operator error; the run still ends in a definite state.
    status = 'failed';
    error = `internal error: ${formatError(err)}`;
  } finally {
    if (timer) clearTimeout(timer);
    root.abort.dispose();
    unfollow();
    ctx.logs.flush();
    await ctx.pool.closeAll();
  }
  if (detach.paused) {
    orphanPaused(deps.db, id, 'interrupted: the process running it stopped while the execution was paused');
    slotFreed();
    emitExecution(deps, id);
    return 'paused';
  }
  finishExecution(deps.db, id, status, error === null ? null : ctx.logs.redact(error));
  releaseHolds(deps.db, id);
  slotFreed();
  const summary = emitExecution(deps, id);
  deps.events.emit('notice', {
    kind: 'finished',
    executionId: id,
    flow: prepared.flow.id,
    status,
    message: `${prepared.flow.name} (#${id}) ${status}${error ? `: ${summary?.error ?? ''}` : ''}`,
  });
  return status;
}
