import { FlowdeckError } from '../../src-shared/errors';
import type { WrappedSource } from './error-location';
import { prepareGlobals, wrapExpression, type ExpressionOptions, type ExpressionVars } from './expressions';
import { defaultExpressionLimits } from './limits';
import type { QuickJSEngine } from './quickjs-runtime';
import { ScriptFailure, type ScriptSession } from './script-session';
import { explainThrown, limitError, syntaxProbe } from './script-errors';
import { hasTemplate, parseTemplate, templatePosition, type TemplateSlot } from './template-syntax';

const TEMPLATE_FILE = 'flowdeck-template';

function shown(slot: TemplateSlot): string {
  return `\`{{ ${slot.code.trim()} }}\``;
}

/**
 * Replaces every `{{ expr }}`. A missing value is an error, never an empty string: an empty
 * string in a shell command (`rm -rf /{{ dir }}`) is how accidents happen.
 */
export function renderTemplate(engine: QuickJSEngine, template: string, vars: ExpressionVars, options: ExpressionOptions): string {
  if (!hasTemplate(template)) return template;
  const file = options.name;
  const limits = options.limits ?? defaultExpressionLimits;
  const parts = parseTemplate(template, file);
  const slots = parts.filter((part): part is TemplateSlot => typeof part !== 'string');
  const fail = (slot: TemplateSlot, message: string): FlowdeckError =>
    new FlowdeckError('template-error', message, { file, ...templatePosition(template, slot.start) });

  for (const slot of slots) if (slot.code.trim() === '') throw fail(slot, 'empty `{{ }}`: put an expression between the braces');

  let current: TemplateSlot | undefined;
  try {
    return engine.run('expression', limits, (session) => {
      prepareGlobals(session, slots.map((slot) => slot.code).join('\n'), vars);
      let output = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          output += part;
          continue;
        }
        current = part;
        output += renderSlot(session, part, (message) => fail(part, message));
      }
      return output;
    });
  } catch (error) {
    if (error instanceof ScriptFailure) {
      throw limitError(error, current ? `template '${file}' at ${shown(current)}` : `template '${file}'`, file, limits);
    }
    throw error;
  }
}

function renderSlot(session: ScriptSession, slot: TemplateSlot, fail: (message: string) => FlowdeckError): string {
  const source: WrappedSource = { text: slot.code, file: TEMPLATE_FILE, linesBefore: 1 };
  try {
    const value = session.run(wrapExpression(slot.code), TEMPLATE_FILE);
    switch (session.typeOf(value)) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'bigint':
        return session.toText(value);
      case 'undefined':
        throw fail(`${shown(slot)} is undefined`);
      case 'object': {
        const json = session.toJson(value);
        if (json === null) throw fail(`${shown(slot)} is null`);
        return JSON.stringify(json);
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
