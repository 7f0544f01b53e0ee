import { formatError } from '../../src-shared/errors';
import type { NormalizedStep } from '../../src-shared/domain/flow';
import { stepKindOf } from '../../src-shared/domain/step-kind';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import type { FlowScope } from './context';
import type { StepResult } from './step-result';
import { isStopping } from './failure';
import { sleep } from './limiter';
import { prepareStep, type PreparedAction } from './prepare-step';
import { lockElement } from './element-locks';
import type { SkipReason } from './resume-state';
import { runAction, type ActionOutcome } from './run-action';
import { expressionVars } from './vars';
import { attemptStop } from './stop-scope';
import type { StepRunEnd, StepRunIdentity } from './journal';

/** `cancelled`: stopped by cancel or fail-fast; the element did not fail by itself. */
export type StepVerdict = 'ok' | 'failed' | 'cancelled';

function parseJson(text: string): JsonValue | null {
  const t = text.trim();
  if (!t || !(t.startsWith('{') || t.startsWith('[') || t.startsWith('"') || /^[-\d]/.test(t) || t === 'true' || t === 'false')) return null;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return null;
  }
}

export function recordResult(scope: FlowScope, element: ResolvedElement, stepId: string, r: Omit<StepResult, 'json'>): void {
  let results = scope.results.get(element.id);
  if (!results) scope.results.set(element.id, (results = {}));
  results[stepId] = { ...r, json: parseJson(r.stdout) };
}

/** Attempt numbers go on after the earlier runs of a resumed execution, so history keeps every one. */
function attemptNo(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, attempt: number): number {
  return attempt + (scope.ctx.resume?.attemptsOf(element.id, scope.prefix + step.id) ?? 0);
}

/** Who and what a step run is: the part of its record every state shares. */
function identity(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, n: number): StepRunIdentity {
  return { executionId: scope.ctx.executionId, element: element.id, step: scope.prefix + step.id, kind: stepKindOf(step), attempt: attemptNo(scope, element, step, n) };
}

/** Records a step run that starts now; the console sees it at once. */
export function startStepRun(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, n: number, startedAt = Date.now()): number {
  return scope.ctx.deps.journal.started(identity(scope, element, step, n), startedAt);
}

export function endStepRun(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, id: number, n: number, startedAt: number, o: StepRunEnd): void {
  const { ctx } = scope;
  ctx.logs.endStepRun(id);
  if (o.error) o = { ...o, error: ctx.logs.redact(o.error) };
  ctx.deps.journal.ended(id, identity(scope, element, step, n), startedAt, o);
}

/**
 * A step run that never started: `when` was false (`skipped: 'when'`, done for good), or an
 * earlier step of the element failed (`'after-failure'`: a resume runs it).
 */
export function recordNotRun(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, status: StepRunStatus, reason: string, why: SkipReason): void {
  scope.ctx.deps.journal.notRun(identity(scope, element, step, 1), status, reason, { skipped: why });
  recordResult(scope, element, step.id, { status, exitCode: null, stdout: '', stderr: '' });
}

/** Evaluates a step's `when` for one element; an error in it is the step's failure. */
async function evaluateWhen(scope: FlowScope, element: ResolvedElement | null, step: NormalizedStep): Promise<boolean> {
  if (step.when === undefined) return true;
  const vars = expressionVars(scope, element, step.when);
  return Boolean(await scope.ctx.deps.sandbox.evaluate(step.when, vars, { name: `step "${scope.prefix}${step.id}".when` }));
}

/**
 * For a step that runs once for several elements (a child flow, an approval): which elements
 * go ahead. Those that finished it before (a resume) and those whose `when` is false get their
 * verdict here; an error in `when` is kept for the caller to fail that element with.
 */
export async function splitByWhen(
  scope: FlowScope,
  step: NormalizedStep,
  elements: ResolvedElement[],
  verdicts: Map<string, StepVerdict>,
): Promise<{ go: ResolvedElement[]; whenErrors: Map<string, unknown> }> {
  const go: ResolvedElement[] = [];
  const whenErrors = new Map<string, unknown>();
  for (const el of elements) {
    if (alreadyDone(scope, el, step)) {
      verdicts.set(el.id, 'ok');
      continue;
    }
    try {
      if (await evaluateWhen(scope, el, step)) go.push(el);
      else {
        recordNotRun(scope, el, step, 'skipped', `when: ${step.when} was false`, 'when');
        verdicts.set(el.id, 'ok');
      }
    } catch (err) {
      whenErrors.set(el.id, err);
    }
  }
  return { go, whenErrors };
}

/** Steps that act on the element itself hold its lock; `target: local`, sleep and http run on the operator's machine. */
function locksElement(step: NormalizedStep, action: PreparedAction): boolean {
  return action.kind === 'exec' && step.target !== 'local';
}

/**
 * Waits until the attempt may start: not paused, within the `rateLimit`s, and (for a step on the
 * element) holding the element's lock. A pause that came while it waited sends it back to the
 * gate with the lock released, so nothing starts after a pause. Null when stopped meanwhile.
 */
async function readyToStart(
  scope: FlowScope,
  element: ResolvedElement,
  step: NormalizedStep,
  action: PreparedAction,
  stop: AbortSignal,
): Promise<{ unlock: () => void; at: number } | null> {
  const { ctx } = scope;
  for (;;) {
    await ctx.gate.pass(stop);
    if (stop.aborted) return null;
    // Waiting for another execution to finish its step on this element is not part of this step's run time.
    const unlock = locksElement(step, action) ? await lockElement(ctx, element.id, stop) : () => {};
    if (!unlock) return null;
    // Last, so the start the limiter counts is the start the step run records.
    const at = action.kind === 'sleep' ? Date.now() : await passRateLimits(scope, stop);
    if (at === null) {
      unlock();
      return null;
    }
    if (!ctx.gate.paused) return { unlock, at };
    unlock();
  }
}

/**
 * A step start waits for a place under every `rateLimit` from its flow up to the root: the
 * time of the last grant (the start), or null if stopped meanwhile.
 */
async function passRateLimits(scope: FlowScope, stop: AbortSignal): Promise<number | null> {
  let at = Date.now();
  for (let s: FlowScope | null = scope; s; s = s.up) {
    if (!s.rate) continue;
    const granted = await s.rate.take(stop);
    if (granted === null) return null;
    at = granted;
  }
  return at;
}

/** In a resumed execution: the element finished this step before; its result stays visible to later steps. */
function alreadyDone(scope: FlowScope, element: ResolvedElement, step: NormalizedStep): boolean {
  const { resume } = scope.ctx;
  const path = scope.prefix + step.id;
  if (!resume?.isDone(element.id, path, step)) return false;
  const prior = resume.resultOf(scope.ctx.deps.db, element.id, path);
  if (prior) recordResult(scope, element, step.id, prior);
  return true;
}

/** A failed step run with no attempt at its command (an error in `when` or a template). */
export function failBeforeStart(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, err: unknown, attempt = 1): StepVerdict {
  const id = startStepRun(scope, element, step, attempt);
  const message = formatError(err);
  scope.ctx.logs.write(id, 'system', message + '\n');
  endStepRun(scope, element, step, id, attempt, Date.now(), { status: 'failed', error: message, finishedAt: Date.now() });
  recordResult(scope, element, step.id, { status: 'failed', exitCode: null, stdout: '', stderr: '' });
  return step.continueOnError ? 'ok' : 'failed';
}

/**
 * Runs one non-flow step on one element: `when`, templates, then each attempt (retries
 * with delay and backoff), every attempt kept as its own step run. `again` is for a step the
 * engine runs more than once per element (gather, before each batch): it always runs, and its
 * attempts are numbered after the `again` earlier ones.
 */
export async function runStep(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, again?: { earlierAttempts: number }): Promise<StepVerdict> {
  const base = again?.earlierAttempts ?? 0;
  if (!again && alreadyDone(scope, element, step)) return 'ok';
  const stop = scope.abort.signal;
  await scope.ctx.gate.pass(stop);
  if (stop.aborted || isStopping(scope)) return 'cancelled';
  let prepared;
  try {
    if (!(await evaluateWhen(scope, element, step))) {
      recordNotRun(scope, element, step, 'skipped', `when: ${step.when} was false`, 'when');
      return 'ok';
    }
    prepared = await prepareStep(scope, element, step);
  } catch (err) {
    return failBeforeStart(scope, element, step, err, base + 1);
  }
  const attempts = 1 + (prepared.retries?.count ?? 0);
  let outcome: ActionOutcome | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      const r = prepared.retries;
      const delay = r ? r.delay * Math.pow(r.backoff, attempt - 2) : 0;
      await sleep(delay * 1000, stop);
      if (stop.aborted || isStopping(scope)) break;
    }
    const ready = await readyToStart(scope, element, step, prepared.action, stop);
    if (!ready) break;
    const { unlock, at: startedAt } = ready;
    const id = startStepRun(scope, element, step, base + attempt, startedAt);
    const { signal, dispose } = attemptStop(stop, prepared.timeout);
    try {
      outcome = await runAction(scope.ctx, element, prepared.action, id, signal);
    } finally {
      dispose();
      unlock();
    }
    endStepRun(scope, element, step, id, base + attempt, startedAt, {
      status: outcome.status,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      error: outcome.error,
      result: outcome.result,
      finishedAt: Date.now(),
    });
    if (outcome.status === 'succeeded' || outcome.status === 'cancelled') break;
  }
  if (!outcome) return 'cancelled';
  recordResult(scope, element, step.id, { status: outcome.status, exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr });
  if (outcome.status === 'succeeded') return 'ok';
  if (outcome.status === 'cancelled') return 'cancelled';
  return step.continueOnError ? 'ok' : 'failed';
}
