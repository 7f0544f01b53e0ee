import type { JsonObject, JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { toScriptElement } from '../../src-shared/domain/script-element';
import type { FlowScope } from './context';
import type { StepResult } from './step-result';

function stepsVar(results: Record<string, StepResult> | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [id, r] of Object.entries(results ?? {})) {
    out[id] = { status: r.status, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, json: r.json };
  }
  return out;
}

const mentions = (text: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(text);

/**
 * The special variables of expressions and templates for one element (or none, for a batch-wide expression).
 * Big values (the element list, earlier outputs) are only serialised when the expression
 * names them: a template is evaluated per step per element, thousands of times a run.
 */
export function expressionVars(scope: FlowScope, element: ResolvedElement | null, text: string, extra: JsonObject = {}): Record<string, JsonValue | undefined> {
  const { ctx } = scope;
  const vars: Record<string, JsonValue | undefined> = {
    params: scope.params,
    first: scope.elements.length > 0 ? 1 : null,
    last: scope.elements.length,
    execution: { id: ctx.executionId, flow: ctx.rootFlow.id, trigger: ctx.trigger, startedAt: ctx.startedAt },
    ...extra,
  };
  if (element) {
    vars.element = toScriptElement(element) as unknown as JsonObject;
    vars.current = scope.elements.findIndex((e) => e.id === element.id) + 1;
    if (mentions(text, 'steps')) vars.steps = stepsVar(scope.results.get(element.id));
  }
  if (mentions(text, 'elements')) vars.elements = scope.elements.map((e) => toScriptElement(e) as unknown as JsonObject);
  if (scope.parent) {
    vars.parent = {
      flow: scope.parent.flow,
      step: scope.parent.step,
      element: scope.parent.element ? (toScriptElement(scope.parent.element) as unknown as JsonObject) : null,
      params: scope.parent.params,
    };
  }
  return vars;
}
