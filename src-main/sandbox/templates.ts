import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { WrappedSource } from './error-location';
import { prepareGlobals, wrapExpression, type ExpressionOptions, type ExpressionVars } from './expressions';
import { defaultExpressionLimits } from './limits';
import type { QuickJSEngine } from './quickjs-runtime';
import { ScriptFailure, type ScriptSession } from './script-session';
import { explainThrown, limitError, syntaxProbe } from './script-errors';
import { planTemplate, type PlannedTemplate, type TemplateTarget } from './template-plan';
import { hasTemplate, templatePosition, type TemplateSlot } from './template-syntax';
import { problemError } from './template-values';

const TEMPLATE_FILE = 'flowdeck-template';

export interface RenderOptions extends ExpressionOptions {
  /** Where the text goes, which decides how each value is written; `text` (as it is) if not given. */
  target?: TemplateTarget;
}

function shown(slot: TemplateSlot): string {
  return `\`{{ ${slot.code.trim()} }}\``;
}

/** Plans by template text and target: the same step renders once per element, with the same plan. */
const plans = new Map<string, PlannedTemplate>();
const MAX_PLANS = 1000;

function cachedPlan(template: string, file: string, target: TemplateTarget): PlannedTemplate {
  const key = JSON.stringify([target.kind, target.contentType ?? '', target.interpreter ?? '', file, template]);
  let plan = plans.get(key);
  if (!plan) {
    plan = planTemplate(template, file, target);
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

/**
 * Replaces every `{{ expr }}`, each value written for the place it lands (see template-plan). A
 * missing value is an error, never an empty string: an empty string in a shell command
 * (`rm -rf /{{ dir }}`) is how accidents happen.
 */
export function renderTemplate(engine: QuickJSEngine, template: string, vars: ExpressionVars, options: RenderOptions): string {
  if (!hasTemplate(template)) return template;
  const file = options.name;
  const limits = options.limits ?? defaultExpressionLimits;
  const planned = cachedPlan(template, file, options.target ?? { kind: 'text' });
  const early = planned.problems.find((problem) => !problem.afterRaw);
  if (early) throw problemError({ template, file }, early);
  const fail = (slot: TemplateSlot, message: string): FlowdeckError =>
    new FlowdeckError('template-error', message, { file, ...templatePosition(template, slot.start) });

  let current: TemplateSlot | undefined;
  let values: JsonValue[];
  try {
    values = engine.run('expression', limits, (session) => {
      prepareGlobals(session, planned.slots.map((s) => s.code).join('\n'), vars);
      return planned.slots.map((s) => {
        current = s.slot;
        return slotValue(session, s.slot, s.code, (message) => fail(s.slot, message));
      });
    });
  } catch (error) {
    if (error instanceof ScriptFailure) {
      throw limitError(error, current ? `template '${file}' at ${shown(current)}` : `template '${file}'`, file, limits);
    }
    throw error;
  }
  return planned.fill(values);
}

/** The value of one slot as JSON (its text form for what JSON has none of); undefined, null and functions are errors. */
function slotValue(session: ScriptSession, slot: TemplateSlot, code: string, fail: (message: string) => FlowdeckError): JsonValue {
  const source: WrappedSource = { text: code, file: TEMPLATE_FILE, linesBefore: 1 };
  try {
    const value = session.run(wrapExpression(code), TEMPLATE_FILE);
    switch (session.typeOf(value)) {
      case 'string':
      case 'boolean':
        return session.toJson(value) as JsonValue;
      case 'number': {
        // NaN and Infinity have no JSON form; they are written as JavaScript writes them.
        const json = session.toJson(value);
        return json === null || json === undefined ? session.toText(value) : json;
      }
      case 'bigint':
        return session.toText(value);
      case 'undefined':
        throw fail(`${shown(slot)} is undefined`);
      case 'object': {
        const json = session.toJson(value);
        if (json === null || json === undefined) throw fail(`${shown(slot)} is null`);
        return json;
      }
      case 'function':
        throw fail(`${shown(slot)} is a function, not a value (call it?)`);
      default:
        throw fail(`${shown(slot)} is a ${session.typeOf(value)}, which has no text form`);
    }
  } catch (error) {
    if (error instanceof ScriptFailure && error.kind === 'thrown' && error.thrown) {
      const explained = explainThrown(error.thrown, source, syntaxProbe(session, source, wrapExpression));
      throw fail(`${shown(slot)}: ${explained.message}`);
    }
    throw error;
  }
}
