import { FlowdeckError } from '../../src-shared/errors';

/** One `{{ ... }}` in a template. */
export interface TemplateSlot {
  /** The JavaScript between the braces, untrimmed. */
  code: string;
  /** Offset of the opening `{{`. */
  start: number;
}

export type TemplatePart = string | TemplateSlot;

/** Whether rendering can change the text at all; without `{{` QuickJS is never involved. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** 1-based line and column of an offset, for errors that point into the template. */
export function templatePosition(template: string, offset: number): { line: number; column: number } {
  const before = template.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/** Skips a string literal starting at `open`; returns the offset after its closing quote. */
function skipString(text: string, open: number): number {
  const quote = text[open];
  let index = open + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  return index;
}

/**
 * The offset of the `}}` closing a slot whose code starts at `from`. Braces and quotes are
 * tracked so `{{ fmt({a: {b: 1}}) }}` and `{{ "}}" }}` close where a reader expects.
 */
function findClose(text: string, from: number): number {
  let depth = 0;
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'" || char === '`') {
      index = skipString(text, index);
      continue;
    }
    if (char === '{') depth += 1;
    else if (char === '}') {
      if (depth === 0 && text[index + 1] === '}') return index;
      if (depth > 0) depth -= 1;
    }
    index += 1;
  }
  return -1;
}

/** Splits a template into literal text and `{{ }}` slots. */
export function parseTemplate(template: string, file: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  for (;;) {
    const start = template.indexOf('{{', cursor);
    if (start < 0) break;
    const close = findClose(template, start + 2);
    if (close < 0) {
      throw new FlowdeckError('template-error', 'this `{{` has no closing `}}`', { file, ...templatePosition(template, start) });
    }
    if (start > cursor) parts.push(template.slice(cursor, start));
    parts.push({ code: template.slice(start + 2, close), start });
    cursor = close + 2;
  }
  if (cursor < template.length) parts.push(template.slice(cursor));
  return parts;
}
