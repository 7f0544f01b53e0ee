import { FlowdeckError } from '../../src-shared/errors';
import type { NormalizedStep, Retries, TaskDocument } from '../../src-shared/domain/flow';
import type { JsonObject, JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { hasTemplate, type TemplateTarget } from '../sandbox';
import { bodyTarget, DATA, scriptTarget, SHELL } from '../flows/template-fields';
import type { FlowScope } from './context';
import { expressionVars } from './vars';

/** A step with every template rendered, ready for one element. */
export type PreparedAction =
  | { kind: 'exec'; command: string; stdin?: string; env: Record<string, string>; local: boolean }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'http'; url: string; method: string; headers: Record<string, string>; body?: string };

export interface PreparedStep {
  action: PreparedAction;
  timeout: number | undefined;
  retries: Retries | undefined;
}

/** Renders one field; `target` says where its values land and so how each is written (escaped for the shell, encoded for HTTP, as it is in data). */
async function render(scope: FlowScope, element: ResolvedElement, text: string, name: string, target: TemplateTarget, extra?: JsonObject): Promise<string> {
  if (!hasTemplate(text)) return text;
  const vars = expressionVars(scope, element, text, extra);
  return scope.ctx.deps.sandbox.renderTemplate(text, vars, { name, target });
}

async function renderEnv(scope: FlowScope, element: ResolvedElement, step: NormalizedStep, where: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = await render(scope, element, v, `${where}.env.${k}`, DATA);
  return env;
}

/** Resolves a task's parameters from `with:` (templated) and the task's defaults, checking types. */
async function taskInputs(scope: FlowScope, element: ResolvedElement, task: TaskDocument, given: Record<string, JsonValue>, where: string): Promise<JsonObject> {
  const inputs: JsonObject = {};
  for (const key of Object.keys(given)) {
    if (!task.params.some((p) => p.name === key)) {
      throw new FlowdeckError('invalid-input', `${where}: task "${task.id}" has no parameter "${key}" (it has: ${task.params.map((p) => p.name).join(', ') || 'none'})`);
    }
  }
  for (const p of task.params) {
    let v: JsonValue | undefined = given[p.name];
    if (typeof v === 'string') v = await render(scope, element, v, `${where}.with.${p.name}`, DATA);
    if (v === undefined) v = p.default;
    if (v === undefined) {
      if (p.required) throw new FlowdeckError('invalid-input', `${where}: task "${task.id}" needs parameter "${p.name}"`);
      continue;
    }
    if (p.type === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) throw new FlowdeckError('invalid-input', `${where}: task parameter "${p.name}" must be a number, got ${JSON.stringify(v)}`);
      v = n;
    } else if (p.type === 'boolean') {
      if (v === 'true') v = true;
      else if (v === 'false') v = false;
      if (typeof v !== 'boolean') throw new FlowdeckError('invalid-input', `${where}: task parameter "${p.name}" must be true or false, got ${JSON.stringify(v)}`);
    } else if (typeof v !== 'string') {
      v = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    inputs[p.name] = v;
  }
  return inputs;
}

/** Renders a step's templates for one element; a template error throws (the step then fails). */
export async function prepareStep(scope: FlowScope, element: ResolvedElement, step: NormalizedStep): Promise<PreparedStep> {
  const where = `step "${scope.prefix}${step.id}"`;
  // `target: local`: on the operator's machine rather than the element (which may itself be local).
  const local = step.target === 'local';
  if ('run' in step) {
    return {
      action: { kind: 'exec', command: await render(scope, element, step.run, `${where}.run`, SHELL), env: await renderEnv(scope, element, step, where), local },
      timeout: step.timeout,
      retries: step.retries,
    };
  }
  if ('script' in step) {
    return {
      action: {
        kind: 'exec',
        command: await render(scope, element, step.interpreter, `${where}.interpreter`, SHELL),
        stdin: await render(scope, element, step.script, `${where}.script`, scriptTarget(step.interpreter)),
        env: await renderEnv(scope, element, step, where),
        local,
      },
      timeout: step.timeout,
      retries: step.retries,
    };
  }
  if ('task' in step) {
    const task = scope.ctx.tasks.get(step.task);
    if (!task) throw new FlowdeckError('not-found', `${where}: unknown task "${step.task}"`);
    const inputs = await taskInputs(scope, element, task, step.with, where);
    const extra = { inputs };
    const env = await renderEnv(scope, element, step, where);
    const action: PreparedAction =
      task.run !== undefined
        ? { kind: 'exec', command: await render(scope, element, task.run, `task "${task.id}".run`, SHELL, extra), env, local }
        : {
            kind: 'exec',
            command: await render(scope, element, task.interpreter, `task "${task.id}".interpreter`, SHELL, extra),
            stdin: await render(scope, element, task.script ?? '', `task "${task.id}".script`, scriptTarget(task.interpreter), extra),
            env,
            local,
          };
    return { action, timeout: step.timeout ?? task.timeout, retries: step.retries ?? task.retries };
  }
  if ('sleep' in step) return { action: { kind: 'sleep', seconds: step.sleep }, timeout: step.timeout, retries: step.retries };
  if ('http' in step) {
    const req = typeof step.http === 'string' ? { url: step.http, method: 'GET', headers: {} as Record<string, string>, body: undefined } : step.http;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = await render(scope, element, v, `${where}.http.headers.${k}`, { kind: 'header' });
    const action: PreparedAction = {
      kind: 'http',
      url: await render(scope, element, req.url, `${where}.http.url`, { kind: 'url' }),
      method: req.method,
      headers,
    };
    if (req.body !== undefined) action.body = await render(scope, element, req.body, `${where}.http.body`, bodyTarget(headers));
    return { action, timeout: step.timeout, retries: step.retries };
  }
  throw new FlowdeckError('internal', `${where}: a flow step is not run by prepareStep`);
}
