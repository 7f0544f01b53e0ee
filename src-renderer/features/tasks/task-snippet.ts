import type { TaskDocument } from '../../../src-shared/domain/flow';

/** A key as YAML reads it back unchanged: bare when it is a plain identifier, quoted otherwise. */
const yamlKey = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));

/**
 * The step that calls `task` from a flow, as YAML to paste into `steps:`: every parameter with a
 * default is written with it (JSON scalars are valid YAML); parameters without one are named
 * in a comment, required ones first, because a placeholder value would run as if it were real.
 */
export function taskSnippet(task: TaskDocument): string {
  const withDefaults = task.params.filter((p) => p.default !== undefined);
  const without = task.params.filter((p) => p.default === undefined).sort((a, b) => Number(b.required) - Number(a.required));
  const lines = [`- task: ${task.id}`];
  if (withDefaults.length > 0) lines.push(`  with: { ${withDefaults.map((p) => `${yamlKey(p.name)}: ${JSON.stringify(p.default)}`).join(', ')} }`);
  if (without.length > 0) lines.push(`  # set in with: ${without.map((p) => `${p.name} (${p.type}${p.required ? ', required' : ''})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `2 retries, 5s apart, delay x2 each time`, for the task's facts. */
export function retriesText(r: NonNullable<TaskDocument['retries']>): string {
  const parts = [`${r.count} ${r.count === 1 ? 'retry' : 'retries'}`];
  if (r.delay > 0) parts.push(`${r.delay}s apart`);
  if (r.backoff > 1) parts.push(`delay x${r.backoff} each time`);
  return parts.join(', ');
}
