import type { JsonValue, ScriptElement } from '../../src-shared/domain/inventory';
import { evaluateExpression } from './expressions';
import type { SandboxLimits } from './limits';
import { runProcessing } from './processing';
import { loadQuickJSModule, QuickJSEngine } from './quickjs-runtime';
import { renderTemplate } from './templates';

/** Runs operator JavaScript in QuickJS (WASM): no Node, no files, no network, bounded CPU and memory. */
export interface Sandbox {
  /**
   * Runs an operator's processing script over copies of the elements. Returns the input
   * objects the script kept, in its order: the array it returns, else `elements` at its end.
   */
  runProcessing(
    script: string,
    input: { elements: ScriptElement[]; params: Record<string, JsonValue> },
    opts?: { name?: string; limits?: SandboxLimits },
  ): ScriptElement[];
  /** Evaluates one JavaScript expression with `vars` as globals; its JSON value, or undefined. */
  evaluate(expression: string, vars: Record<string, JsonValue | undefined>, opts: { name: string; limits?: SandboxLimits }): JsonValue | undefined;
  /** Replaces every `{{ expr }}`; an undefined or null value is a 'template-error'. */
  renderTemplate(template: string, vars: Record<string, JsonValue | undefined>, opts: { name: string; limits?: SandboxLimits }): string;
}

/** A sandbox on an engine of its own; for tests that must not share the process-wide one. */
export function createSandbox(engine: QuickJSEngine): Sandbox {
  return {
    runProcessing: (script, input, opts) => runProcessing(engine, script, input, opts),
    evaluate: (expression, vars, opts) => evaluateExpression(engine, expression, vars, opts),
    renderTemplate: (template, vars, opts) => renderTemplate(engine, template, vars, opts),
  };
}

let loading: Promise<Sandbox> | undefined;

/** Loads the WASM module once per process; every call after that is synchronous. */
export async function loadSandbox(): Promise<Sandbox> {
  loading ??= loadQuickJSModule().then(
    (loaded) => createSandbox(new QuickJSEngine(loaded, loadQuickJSModule)),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
