import type { JsonValue, ScriptElement } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { varsNamedIn } from './expressions';
import { defaultExpressionLimits, defaultProcessingLimits, describeBytes, type SandboxLimits } from './limits';
import type { ScriptVars, SyntaxCheckItem } from './protocol';
import { hasTemplate } from './template-syntax';
import type { TemplateTarget } from './template-plan';
import { SandboxPool, type KillReason, type PoolOptions } from './worker-pool';

/**
 * Runs operator JavaScript in QuickJS (WASM) on worker threads: no Node, no files, no
 * network, bounded memory, and a deadline enforced by terminating the worker, so no script
 * can hold up the caller's thread.
 */
export interface Sandbox {
  /**
   * Runs an operator's processing script over copies of the elements. Resolves to the input
   * objects the script kept, in its order: the array it returns, else `elements` at its end.
   */
  runProcessing<E extends ScriptElement>(
    script: string,
    input: { elements: E[]; params: Record<string, JsonValue> },
    opts?: { name?: string; limits?: SandboxLimits },
  ): Promise<E[]>;
  /** Evaluates one JavaScript expression with `vars` as globals; its JSON value, or undefined. */
  evaluate(expression: string, vars: ScriptVars, opts: { name: string; limits?: SandboxLimits }): Promise<JsonValue | undefined>;
  /** The same expression once per variable set, in one round trip (a targets expression per element). */
  evaluateEach(expression: string, varsList: ScriptVars[], opts: { name: string; limits?: SandboxLimits }): Promise<Array<JsonValue | undefined>>;
  /**
   * Replaces every `{{ expr }}`, each value written for where it lands (`target`: escaped for
   * the shell, encoded in a URL or JSON body, as it is in data); an undefined or null value is
   * a 'template-error'.
   */
  renderTemplate(template: string, vars: ScriptVars, opts: { name: string; target: TemplateTarget; limits?: SandboxLimits }): Promise<string>;
  /** The syntax error of a processing script or an expression, found without running it. */
  syntaxError(kind: 'processing' | 'expression', code: string, name: string): Promise<FlowdeckError | undefined>;
  /** The same for many texts in one round trip, in order. */
  syntaxErrors(items: readonly SyntaxCheckItem[]): Promise<Array<FlowdeckError | undefined>>;
  close(): Promise<void>;
}

/**
 * The wall-clock deadline after which the worker is terminated. Inside the worker, QuickJS's
 * interrupt handler stops a script at its limit of CPU time, cheaply and with a precise message;
 * this catches what it cannot see (time inside a built-in such as `sort` on huge data). It is
 * wall time, so it leaves room for a machine busy with other work: twice the limit and half a
 * second more.
 */
function hardDeadlineMs(cpuMs: number): number {
  return cpuMs * 2 + 500;
}

/** A targets expression over many elements shares one budget: the processing script's, plus a little per element. */
function eachBudgetMs(count: number): number {
  return defaultProcessingLimits.cpuMs + count;
}

/** The error for a call whose worker had to be terminated or died, worded like the in-worker limits. */
function killedError(label: string, file: string, limits: SandboxLimits, budgetMs: number) {
  return (reason: KillReason, detail: string): FlowdeckError => {
    switch (reason) {
      case 'deadline':
        return new FlowdeckError('script-timeout', `${label} ran longer than ${budgetMs} ms (endless loop, or a built-in working on huge data?); it was stopped`, {
          file,
        });
      case 'memory':
        return new FlowdeckError(
          'script-memory',
          `${label} needed more than its ${describeBytes(limits.memoryBytes)} of memory (does it build an ever-growing array or string?)`,
          { file },
        );
      case 'crash':
        return new FlowdeckError('script-error', `${label} could not run: the sandbox failed (${detail}); the sandbox restarts for the next script`, { file });
      case 'closed':
        return new FlowdeckError('internal', `${label} was not run: ${detail}`, { file });
    }
  };
}

function createPooledSandbox(pool: SandboxPool): Sandbox {
  const syntaxErrors = async (items: readonly SyntaxCheckItem[]): Promise<Array<FlowdeckError | undefined>> => {
    if (items.length === 0) return [];
    // Compiling runs nothing the operator wrote, but placing a syntax error re-parses prefixes
    // of the text: a budget that grows with the count, generous for a loaded machine.
    const budgetMs = 2000 + items.length * 50;
    const found = await pool.call({ op: 'check', items: [...items] }, hardDeadlineMs(budgetMs), killedError('syntax check', items[0]?.name ?? 'check', defaultExpressionLimits, budgetMs));
    return found.map((e) => (e ? new FlowdeckError(e.code, e.message, e.location) : undefined));
  };
  return {
    async runProcessing(script, input, opts = {}) {
      const name = opts.name ?? 'processing';
      const limits = opts.limits ?? defaultProcessingLimits;
      const ids = await pool.call(
        { op: 'processing', script, elements: input.elements, params: input.params, name, limits },
        hardDeadlineMs(limits.cpuMs),
        killedError('processing script', name, limits, limits.cpuMs),
      );
      const byId = new Map(input.elements.map((element) => [element.id, element]));
      return ids.map((id) => byId.get(id) as (typeof input.elements)[number]);
    },

    evaluate(expression, vars, opts) {
      const limits = opts.limits ?? defaultExpressionLimits;
      return pool.call(
        { op: 'evaluate', expression, vars: varsNamedIn(expression, vars), name: opts.name, limits },
        hardDeadlineMs(limits.cpuMs),
        killedError(`expression '${opts.name}'`, opts.name, limits, limits.cpuMs),
      );
    },

    evaluateEach(expression, varsList, opts) {
      if (varsList.length === 0) return Promise.resolve([]);
      const limits = opts.limits ?? defaultExpressionLimits;
      const totalMs = eachBudgetMs(varsList.length);
      return pool.call(
        { op: 'evaluateEach', expression, varsList: varsList.map((vars) => varsNamedIn(expression, vars)), name: opts.name, limits, totalMs },
        hardDeadlineMs(totalMs),
        killedError(`expression '${opts.name}'`, opts.name, limits, totalMs),
      );
    },

    renderTemplate(template, vars, opts) {
      // Text without `{{` never needs QuickJS, nor a round trip to a worker.
      if (!hasTemplate(template)) return Promise.resolve(template);
      const limits = opts.limits ?? defaultExpressionLimits;
      return pool.call(
        { op: 'render', template, vars: varsNamedIn(template, vars), name: opts.name, limits, target: opts.target },
        hardDeadlineMs(limits.cpuMs),
        killedError(`template '${opts.name}'`, opts.name, limits, limits.cpuMs),
      );
    },

    async syntaxError(kind, code, name) {
      const [found] = await syntaxErrors([{ kind, code, name }]);
      return found;
    },

    syntaxErrors,

    close: () => pool.close(),
  };
}

/** A sandbox with a pool of its own (tests, benchmarks); close it when done. */
export function createSandbox(options: PoolOptions = {}): Sandbox {
  return createPooledSandbox(new SandboxPool(options));
}

let shared: Sandbox | undefined;

/**
 * The process-wide sandbox. Its workers start on first use, so a command that runs no script
 * pays nothing for it.
 */
export async function loadSandbox(): Promise<Sandbox> {
  shared ??= createSandbox();
  return shared;
}
