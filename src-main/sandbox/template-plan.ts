/**
 * One entry point for every kind of template: where its values land decides how they are
 * written (escaped for the shell, percent-encoded in a URL, JSON-encoded in a JSON body, as
 * they are in an environment value). Pure TypeScript: the sandbox worker renders with it and
 * the validator plans with it, so both agree on what each `{{ }}` may hold.
 */
import type { JsonValue } from '../../src-shared/domain/inventory';
import { planHttpBody, planHttpHeader, planHttpUrl, renderHttpBody, renderHttpHeader, renderHttpUrl } from './http-context';
import { planShellTemplate } from './shell-context';
import { renderShellTemplate } from './shell-escape';
import type { TemplateSlot } from './template-syntax';
import { InsertionError, LineIndex, problemAt, problemError, readSlots, slotError, type TemplateProblem } from './template-values';
import { valueText } from './template-values';

/**
 * - `shell`: a command line (`run:`, `interpreter:`, a `script:` for a POSIX shell)
 * - `script`: a script for another language (`script:` with `interpreter: python3`): no value
 *   can be escaped for a language Flowdeck does not parse, so only `{{ raw }}` is allowed
 * - `url`, `header`, `body`: an `http` step's parts
 * - `text`: data, not code (`env:` values, task `with:` and child flow `params:`), as it is
 */
type TemplateKind = 'shell' | 'script' | 'url' | 'header' | 'body' | 'text';

export interface TemplateTarget {
  kind: TemplateKind;
  /** For `body`: the request's Content-Type, which says whether the body is JSON. */
  contentType?: string;
  /** For `script`: the interpreter, named in the refusal. */
  interpreter?: string;
}

/** A template ready to be filled: the expressions to evaluate, in order, and how to write their values. */
export interface PlannedTemplate {
  slots: Array<{ slot: TemplateSlot; code: string; raw: boolean }>;
  /** Found before any value exists; those after a raw slot are decided again with its value. */
  problems: TemplateProblem[];
  fill(values: readonly JsonValue[]): string;
}

function joined(parts: ReturnType<typeof readSlots>['parts'], texts: readonly string[]): string {
  let out = '';
  let index = 0;
  for (const part of parts) out += typeof part === 'string' ? part : (texts[index++] ?? '');
  return out;
}

function planText(template: string, file: string, target: TemplateTarget): PlannedTemplate {
  const { parts, sources, problems, lines } = readSlots(template, file);
  if (target.kind === 'script') {
    const language = target.interpreter ?? 'this interpreter';
    for (const source of sources) {
      if (source.raw || source.code.trim() === '') continue;
      problems.push(
        problemAt(
          lines,
          source.slot.start,
          `a value cannot be escaped for a script run by \`${language}\`: pass it in \`env:\` (env: { X: "{{ ${source.code.trim()} }}" }, read as an environment variable) or write \`{{ raw ${source.code.trim()} }}\` to insert it as code`,
        ),
      );
    }
    problems.sort((a, b) => a.offset - b.offset);
  }
  const plan = { template, file };
  return {
    slots: sources.map((s) => ({ slot: s.slot, code: s.code, raw: s.raw })),
    problems,
    fill(values) {
      const texts = sources.map((source, index) => {
        try {
          return valueText(values[index] as JsonValue);
        } catch (error) {
          if (error instanceof InsertionError) throw slotError(plan, source.slot, error.message);
          throw error;
        }
      });
      return joined(parts, texts);
    },
  };
}

/**
 * Plans a template of the given kind. Throws a 'template-error' for an unclosed `{{` (nothing
 * after it can be read); other problems are listed, and `fill` throws the first one that holds.
 */
export function planTemplate(template: string, file: string, target: TemplateTarget): PlannedTemplate {
  switch (target.kind) {
    case 'text':
    case 'script': {
      const planned = planText(template, file, target);
      const early = planned.problems[0];
      return early ? { ...planned, fill: () => { throw problemError({ template, file }, early); } } : planned;
    }
    case 'shell': {
      const plan = planShellTemplate(template, file);
      return { slots: plan.slots, problems: plan.problems, fill: (values) => renderShellTemplate(plan, values) };
    }
    case 'url': {
      const plan = planHttpUrl(template, file);
      return { slots: plan.slots, problems: plan.problems, fill: (values) => renderHttpUrl(plan, values) };
    }
    case 'header': {
      const plan = planHttpHeader(template, file);
      return { slots: plan.slots, problems: plan.problems, fill: (values) => renderHttpHeader(plan, values) };
    }
    case 'body': {
      const plan = planHttpBody(template, file, target.contentType);
      return { slots: plan.slots, problems: plan.problems, fill: (values) => renderHttpBody(plan, values) };
    }
  }
}

/** A raw insertion as written, for reviewers: where it is and what it says. */
export interface RawInsertion {
  line: number;
  column: number;
  source: string;
}

export function rawInsertions(template: string, planned: PlannedTemplate): RawInsertion[] {
  const lines = new LineIndex(template);
  return planned.slots
    .filter((s) => s.raw)
    .map((s) => ({ ...lines.position(s.slot.start), source: template.slice(s.slot.start, s.slot.start + s.slot.code.length + 4).replace(/\s+/gu, ' ') }));
}
