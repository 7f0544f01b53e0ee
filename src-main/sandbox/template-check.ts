/**
 * What `flow validate` says about a template without running any JavaScript: every raw
 * insertion (so a reviewer sees each place a value goes in unescaped) and every problem the
 * template has before any value exists: an unclosed `{{`, an empty `{{ }}`, a slot where no
 * value can be escaped. Whether the expression inside is valid JavaScript is the sandbox's
 * question, not this one's.
 *
 *   checkTemplate(text, kind, { contentType }) -> { raws: RawUse[], problems: TemplateProblem[] }
 *   rawUseLine('steps[2].run', raw)            -> "raw insertion at steps[2].run:1:10: {{ raw cmd }}"
 *   problemLine('steps[2].run', problem)       -> "steps[2].run:3:5: <message>"
 *
 * Kinds: `shell` (run:, a task's run:, a script: whose interpreter is a POSIX shell, an
 * interpreter command line), `url`, `header`, `body` (with the request's Content-Type, if any),
 * and `text` (env: values, scripts for other interpreters: inserted as they are).
 */
import { FlowdeckError } from '../../src-shared/errors';
import { planHttpBody, planHttpHeader, planHttpUrl } from './http-context';
import { planShellTemplate } from './shell-context';
import { LineIndex, readSlots, type TemplatePlan, type TemplateProblem } from './template-values';

export type TemplateKind = 'shell' | 'url' | 'header' | 'body' | 'text';

/** One `{{ raw ... }}` as written, at a 1-based line and column of the text. */
export interface RawUse {
  line: number;
  column: number;
  offset: number;
  /** The slot as written, braces included: `{{ raw cmd }}`. */
  source: string;
}

export interface TemplateCheck {
  raws: RawUse[];
  problems: TemplateProblem[];
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

function planFor(text: string, kind: TemplateKind, contentType: string | undefined): TemplatePlan<unknown> {
  switch (kind) {
    case 'shell':
      return planShellTemplate(text, 'template');
    case 'url':
      return planHttpUrl(text, 'template');
    case 'header':
      return planHttpHeader(text, 'template');
    case 'body':
      return planHttpBody(text, 'template', contentType);
    case 'text': {
      const { parts, sources, problems } = readSlots(text, 'template');
      return { template: text, file: 'template', parts, problems, slots: sources.map((source) => ({ ...source, context: null })) };
    }
  }
}

/** The raw insertions and the problems of one template; never throws. */
export function checkTemplate(text: string, kind: TemplateKind, options: { contentType?: string } = {}): TemplateCheck {
  let plan: TemplatePlan<unknown>;
  try {
    plan = planFor(text, kind, options.contentType);
  } catch (error) {
    if (!(error instanceof FlowdeckError) || error.location?.line === undefined || error.location.column === undefined) throw error;
    const { line, column } = error.location;
    return { raws: [], problems: [{ message: error.message, line, column, offset: offsetOf(text, line, column), afterRaw: false }] };
  }
  const lines = new LineIndex(text);
  const raws = plan.slots
    .filter((slot) => slot.raw)
    .map((slot) => ({
      ...lines.position(slot.slot.start),
      offset: slot.slot.start,
      source: text.slice(slot.slot.start, slot.slot.start + slot.slot.code.length + 4),
    }));
  return { raws, problems: plan.problems };
}

/** `raw insertion at steps[2].run:1:10: {{ raw cmd }}`, with line breaks in the slot shown as spaces. */
export function rawUseLine(where: string, raw: RawUse): string {
  return `raw insertion at ${where}:${raw.line}:${raw.column}: ${raw.source.replace(/\s+/gu, ' ')}`;
}

/** `steps[2].run:3:5: message`; a problem after a raw slot says it depends on that value. */
export function problemLine(where: string, problem: TemplateProblem): string {
  const note = problem.afterRaw ? ' (unless the `{{ raw }}` before it changes the quoting)' : '';
  return `${where}:${problem.line}:${problem.column}: ${problem.message}${note}`;
}
