import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { WrappedSource } from './error-location';
import { helpersSourceFor, HELPERS_FILE } from './helpers-source';
import { defaultExpressionLimits, type SandboxLimits } from './limits';
import type { QuickJSEngine } from './quickjs-runtime';
import { ScriptFailure, type ScriptSession } from './script-session';
import { limitError, scriptError, syntaxProbe } from './script-errors';

export interface ExpressionOptions {
  /** Names the expression in errors, e.g. `steps.restart.when`. */
  name: string;
  limits?: SandboxLimits;
}

export type ExpressionVars = Record<string, JsonValue | undefined>;

export const EXPRESSION_FILE = 'flowdeck-expression';

/** Its own lines, so a trailing `// comment` cannot swallow the closing parenthesis. */
export function wrapExpression(expression: string): string {
  return `(\n${expression}\n)`;
}

/**
 * Only the variables the code names. `elements` alone can be the whole inventory, and
 * copying it into every `when:` of every element would cost more than the evaluation.
 */
export function varsNamedIn(code: string, vars: ExpressionVars): ExpressionVars {
  const named: ExpressionVars = {};
  for (const [name, value] of Object.entries(vars)) if (code.includes(name)) named[name] = value;
  return named;
}

/** Helpers and variables that `code` names, as globals of a fresh context. */
export function prepareGlobals(session: ScriptSession, code: string, vars: ExpressionVars): void {
  const helpers = helpersSourceFor(code);
  if (helpers) session.run(helpers, HELPERS_FILE);
  session.defineGlobals(varsNamedIn(code, vars));
}

/** Evaluates one JavaScript expression; its JSON value, or undefined. */
export function evaluateExpression(
  engine: QuickJSEngine,
  expression: string,
  vars: ExpressionVars,
  options: ExpressionOptions,
): JsonValue | undefined {
  const limits = options.limits ?? defaultExpressionLimits;
  // `when: current === last;` is a natural slip; the semicolon would end the parentheses.
  const text = expression.replace(/;\s*$/, '');
  if (text.trim() === '') throw new FlowdeckError('script-error', 'the expression is empty', { file: options.name });
  const source: WrappedSource = { text, file: EXPRESSION_FILE, linesBefore: 1 };
  try {
    return engine.run('expression', limits, (session) => {
      prepareGlobals(session, text, vars);
      try {
        return session.toJson(session.run(wrapExpression(text), EXPRESSION_FILE));
      } catch (error) {
        if (error instanceof ScriptFailure && error.kind === 'thrown' && error.thrown) {
          throw scriptError(error.thrown, options.name, source, syntaxProbe(session, source, wrapExpression));
        }
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof ScriptFailure) throw limitError(error, `expression '${options.name}'`, options.name, limits);
    throw error;
  }
}
