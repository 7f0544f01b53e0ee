import type { FlowDocument, NormalizedStep, TaskDocument } from '../../src-shared/domain/flow';
import { isFlowCall } from '../../src-shared/domain/step-kind';
import type { YamlPath } from '../inventory';
import { isPosixShellInterpreter } from '../sandbox/shell-context';
import type { TemplateTarget } from '../sandbox/template-plan';

/**
 * Where each templated field's values land, in one place for the engine (which renders them)
 * and the validator (which checks them before anything runs).
 */
export const SHELL: TemplateTarget = { kind: 'shell' };
export const DATA: TemplateTarget = { kind: 'text' };

/** A `script:` body: shell-escaped for a POSIX shell, raw-only for any other language. */
export function scriptTarget(interpreter: string): TemplateTarget {
  return isPosixShellInterpreter(interpreter) ? SHELL : { kind: 'script', interpreter: interpreter.trim() };
}

/** An http body: JSON-encoded when the request's Content-Type (or the body's look) says JSON. */
export function bodyTarget(headers: Readonly<Record<string, string>>): TemplateTarget {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type');
  return entry ? { kind: 'body', contentType: entry[1] } : { kind: 'body' };
}

/** One templated field: its YAML path in the document, a name for messages, its text and target. */
export interface TemplateField {
  path: YamlPath;
  name: string;
  text: string;
  target: TemplateTarget;
}

function stepFields(step: NormalizedStep, at: YamlPath, name: string): TemplateField[] {
  const fields: TemplateField[] = [];
  const add = (key: Array<string | number>, text: string, target: TemplateTarget): void => {
    fields.push({ path: [...at, ...key], name: `${name}.${key.join('.')}`, text, target });
  };
  if ('run' in step) add(['run'], step.run, SHELL);
  if ('script' in step) {
    add(['script'], step.script, scriptTarget(step.interpreter));
    add(['interpreter'], step.interpreter, SHELL);
  }
  if ('task' in step) for (const [k, v] of Object.entries(step.with)) if (typeof v === 'string') add(['with', k], v, DATA);
  if ('http' in step) {
    if (typeof step.http === 'string') add(['http'], step.http, { kind: 'url' });
    else {
      add(['http', 'url'], step.http.url, { kind: 'url' });
      for (const [k, v] of Object.entries(step.http.headers)) add(['http', 'headers', k], v, { kind: 'header' });
      if (step.http.body !== undefined) add(['http', 'body'], step.http.body, bodyTarget(step.http.headers));
    }
  }
  if (isFlowCall(step)) for (const [k, v] of Object.entries(step.params)) if (typeof v === 'string') add(['params', k], v, DATA);
  for (const [k, v] of Object.entries(step.env ?? {})) add(['env', k], v, DATA);
  return fields;
}

/** Every templated field of a flow's steps (paths from the document's root). */
export function flowTemplateFields(flow: FlowDocument): TemplateField[] {
  return flow.steps.flatMap((step, i) => stepFields(step, ['steps', i], `steps[${i}]`));
}

/** A task's body and interpreter. */
export function taskTemplateFields(task: TaskDocument): TemplateField[] {
  const fields: TemplateField[] = [];
  if (task.run !== undefined) fields.push({ path: ['run'], name: 'run', text: task.run, target: SHELL });
  if (task.script !== undefined) {
    fields.push({ path: ['script'], name: 'script', text: task.script, target: scriptTarget(task.interpreter) });
    fields.push({ path: ['interpreter'], name: 'interpreter', text: task.interpreter, target: SHELL });
  }
  return fields;
}
