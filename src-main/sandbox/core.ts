import type { JsonValue, ScriptElement } from '../../src-shared/domain/inventory';
import { evaluateExpression } from './expressions';
import type { SandboxLimits } from './limits';
import { runProcessing } from './processing';
import { loadQuickJSModule, QuickJSEngine } from './quickjs-runtime';
import { renderTemplate } from './templates';
import type { TemplateTarget } from './template-plan';

/**
 * The sandbox's work, done synchronously on the thread that calls it. Only the sandbox worker
 * (and the unit tests of the script semantics) use it: anywhere else a slow script would
 * block its caller, so the rest of the app goes through `Sandbox`, which runs this in a
 * worker thread with a deadline enforced from outside.
 */
export interface SandboxCore {
  runProcessing(
    script: string,
    input: { elements: ScriptElement[]; params: Record<string, JsonValue> },
    opts?: { name?: string; limits?: SandboxLimits },
  ): ScriptElement[];
  evaluate(expression: string, vars: Record<string, JsonValue | undefined>, opts: { name: string; limits?: SandboxLimits }): JsonValue | undefined;
  renderTemplate(template: string, vars: Record<string, JsonValue | undefined>, opts: { name: string; limits?: SandboxLimits; target?: TemplateTarget }): string;
}

export function createSandboxCore(engine: QuickJSEngine): SandboxCore {
  return {
    runProcessing: (script, input, opts) => runProcessing(engine, script, input, opts),
    evaluate: (expression, vars, opts) => evaluateExpression(engine, expression, vars, opts),
    renderTemplate: (template, vars, opts) => renderTemplate(engine, template, vars, opts),
  };
}

/** A core on a fresh WASM module of its own. */
export async function loadSandboxCore(): Promise<{ core: SandboxCore; engine: QuickJSEngine }> {
  const engine = new QuickJSEngine(await loadQuickJSModule(), loadQuickJSModule);
  return { core: createSandboxCore(engine), engine };
}
