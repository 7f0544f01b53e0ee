import { FlowdeckError, formatError } from '../../src-shared/errors';
import type { FlowCallStep } from '../../src-shared/domain/flow';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import { MAX_FLOW_DEPTH } from '../flows/graph';
import type { FlowScope } from './context';
import { isStopping } from './failure';
import { resolveParams } from './params';
import { applyProcessing } from './targets';
import { childElements } from './child-elements';
import { endStepRun, recordResult, splitByWhen, startStepRun, type StepVerdict } from './step-runner';
import { expressionVars } from './vars';
import { StopScope } from './stop-scope';
import { RateLimiter } from './rate-limit';
import { DATA } from '../flows/template-fields';

/** Builds a child scope below `scope`; its abort follows the parent's (fail-fast and cancel reach into children). */
function childScope(scope: FlowScope, step: FlowCallStep, elements: ResolvedElement[], params: Record<string, JsonValue>, parentElement: ResolvedElement | null): FlowScope {
  const entry = scope.ctx.flows.get(step.flow);
  if (!entry) throw new FlowdeckError('not-found', `step "${scope.prefix}${step.id}" calls unknown flow "${step.flow}"`);
  return {
    ctx: scope.ctx,
    flow: entry.doc,
    prefix: `${scope.prefix}${step.id}/`,
    depth: scope.depth + 1,
    up: scope,
    elements,
    params,
    parent: { flow: scope.flow.id, step: step.id, element: parentElement, params: scope.params },
    abort: new StopScope(scope.abort.signal),
    rate: entry.doc.rateLimit === undefined ? null : new RateLimiter(entry.doc.rateLimit, scope.ctx.deps.clock),
    stopping: false,
    stopReason: null,
    results: new Map(),
    failedElements: new Set(),
    finished: new Set(),
  };
}

/** Which elements the child gets (docs/semantics.md, Child flows). */
function elementsFor(scope: FlowScope, step: FlowCallStep, given: ResolvedElement[], parentElement: ResolvedElement | null): Promise<ResolvedElement[]> {
  const { ctx } = scope;
  const child = ctx.flows.get(step.flow);
  if (!child) throw new FlowdeckError('not-found', `step "${scope.prefix}${step.id}" calls unknown flow "${step.flow}"`);
  return childElements(ctx.deps.sandbox, ctx.inventory, step, child.doc, given, () => expressionVars(scope, parentElement, step.elements ?? ''), `step "${scope.prefix}${step.id}"`);
}

async function childParams(scope: FlowScope, step: FlowCallStep, parentElement: ResolvedElement | null): Promise<Record<string, JsonValue>> {
  const child = scope.ctx.flows.get(step.flow);
  const given: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(step.params)) {
    given[k] =
      typeof v === 'string' && v.includes('{{')
        ? await scope.ctx.deps.sandbox.renderTemplate(v, expressionVars(scope, parentElement, v), { name: `step "${scope.prefix}${step.id}".params.${k}`, target: DATA })
        : v;
  }
  return resolveParams(child ? child.doc : { id: step.flow, params: [] }, given);
}

const statusOf: Record<StepVerdict, StepRunStatus> = { ok: 'succeeded', failed: 'failed', cancelled: 'cancelled' };

/**
 * Runs a `flow` step for `elements` of the parent (one element in a serial parent, the
 * batch's running elements in a parallel one): one step run per parent element for the
 * flow step itself, and the child's own runs under the path `<step>/<child step>`.
 */
export async function runChildStep(
  scope: FlowScope,
  step: FlowCallStep,
  elements: ResolvedElement[],
  parentElement: ResolvedElement | null,
  /** Walks the child's scope: the flow runner passes itself, so the two modules do not import each other. */
  runScope: (child: FlowScope) => Promise<void>,
): Promise<Map<string, StepVerdict>> {
  const verdicts = new Map<string, StepVerdict>();
  const { ctx } = scope;
  const stop = scope.abort.signal;
  await ctx.gate.pass(stop);
  if (stop.aborted) {
    for (const el of elements) verdicts.set(el.id, 'cancelled');
    return verdicts;
  }
  const { go, whenErrors } = await splitByWhen(scope, step, elements, verdicts);
  // An element whose `when` failed gets the flow step's run too, failed with that error.
  const callers = elements.filter((el) => go.includes(el) || whenErrors.has(el.id));
  if (callers.length === 0) return verdicts;
  const started = callers.map((el) => ({ el, id: startStepRun(scope, el, step, 1), at: Date.now() }));
  const finish = (verdict: StepVerdict, error: string | null, perElement?: (el: ResolvedElement) => StepVerdict): void => {
    for (const s of started) {
      const own = whenErrors.has(s.el.id) ? 'failed' : perElement ? perElement(s.el) : verdict;
      const ownError = whenErrors.has(s.el.id) ? formatError(whenErrors.get(s.el.id)) : own === 'ok' ? null : error;
      if (ownError) ctx.logs.write(s.id, 'system', ownError + '\n');
      endStepRun(scope, s.el, step, s.id, 1, s.at, { status: statusOf[own], error: ownError, finishedAt: Date.now(), result: { flow: step.flow, version: ctx.flows.get(step.flow)?.version } });
      recordResult(scope, s.el, step.id, { status: statusOf[own], exitCode: null, stdout: '', stderr: '' });
      verdicts.set(s.el.id, own === 'failed' && step.continueOnError ? 'ok' : own);
    }
  };
  try {
    if (scope.depth + 1 >= MAX_FLOW_DEPTH) throw new FlowdeckError('cycle', `child flows nest deeper than ${MAX_FLOW_DEPTH} levels at step "${scope.prefix}${step.id}"`);
    const runnable = callers.filter((el) => !whenErrors.has(el.id));
    const parentEl = parentElement ?? null;
    const given = await elementsFor(scope, step, runnable, parentEl);
    const params = await childParams(scope, step, parentEl);
    const child = childScope(scope, step, [], params, parentEl);
    try {
      child.elements = await applyProcessing(ctx.deps.sandbox, child.flow, given, params);
      if (!isStopping(scope)) await runScope(child);
    } finally {
      child.abort.dispose();
    }
    const inChild = new Set(child.elements.map((e) => e.id));
    const overall: StepVerdict = child.failedElements.size > 0 ? 'failed' : child.elements.every((e) => child.finished.has(e.id)) ? 'ok' : 'cancelled';
    const failedList = [...child.failedElements].join(', ');
    const error = child.failedElements.size > 0 ? `child flow "${step.flow}" failed on ${failedList}` : `child flow "${step.flow}" did not finish${child.stopReason ? `: ${child.stopReason}` : ''}`;
    finish(overall, error, (el) => {
      if (!inChild.has(el.id)) return overall;
      if (child.failedElements.has(el.id)) return 'failed';
      return child.finished.has(el.id) ? 'ok' : 'cancelled';
    });
  } catch (err) {
    finish('failed', formatError(err));
  }
  return verdicts;
}
