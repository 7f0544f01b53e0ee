/**
 * What every context-aware insertion (shell, HTTP) shares: reading a slot's source
 * (`{{ raw expr }}`, `{{ shq(x) }}`), turning a JSON value into text, and problems that
 * point at a slot. Pure TypeScript with no Node import, so it runs in a worker thread.
 */
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { parseTemplate, templatePosition, type TemplatePart, type TemplateSlot } from './template-syntax';

/** A slot as the author wrote it: the expression to evaluate and how its value goes in. */
export interface SlotSource {
  /** `{{ raw expr }}`: the value goes in verbatim, unescaped. */
  raw: boolean;
  /** The expression to evaluate, without the `raw` prefix. */
  code: string;
}

/**
 * Characters that, right after `raw` and a space, make `raw` read as a variable in a binary
 * expression (`raw + 1`, `raw.x`, `raw ? a : b`) rather than as the `raw` prefix. A unary
 * `-`/`+`/`!` glued to the operand (`raw -x`, `raw !ok`) still reads as the prefix.
 */
const BINARY_START = /^(?:[.?=*/%&|^<>,)\]}:;]|!=|[+-]\s|[+-]$|(?:in|instanceof)(?![\p{ID_Continue}$]))/u;

/**
 * Reads the `raw` prefix: the word `raw`, whitespace, then an expression. `{{ raw }}`,
 * `{{ rawValue }}`, `{{ raw.x }}`, `{{ raw(x) }}` and `{{ raw + 1 }}` are ordinary
 * expressions (no template variable is called `raw`, but a reader should not have to know).
 */
export function parseRawSlot(code: string): SlotSource {
  const match = /^\s*raw\s+/u.exec(code);
  if (!match) return { raw: false, code };
  const rest = code.slice(match[0].length);
  if (rest.trim() === '' || BINARY_START.test(rest)) return { raw: false, code };
  return { raw: true, code: rest };
}

/**
 * Whether the whole expression is one call of the `shq` helper (`shq(x)`, `shq([a, b])`).
 * Its result is already shell words, so a bare-word slot may keep it as it is.
 */
export function isShqCall(code: string): boolean {
  const trimmed = code.trim();
  if (!/^shq\s*\(/u.test(trimmed) || !trimmed.endsWith(')')) return false;
  // The call's own parenthesis must be the one that closes at the very end.
  const open = trimmed.indexOf('(');
  let depth = 0;
  let quote = '';
  for (let index = open; index < trimmed.length; index += 1) {
    const char = trimmed[index];
    if (quote) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth += 1;
    else if (char === ')' || char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) return index === trimmed.length - 1;
    }
  }
  return false;
}

/** An error about one value, without a place; the renderer adds the slot and its position. */
export class InsertionError extends Error {
  override readonly name = 'InsertionError';
}

/**
 * The text form of a value, as templates have always written it: strings as they are,
 * numbers and booleans through String, arrays and objects as JSON. null has no text form
 * that is not also a lie (`null`, or an empty string in `rm -rf /{{ dir }}`).
 */
export function valueText(value: JsonValue): string {
  if (value === null) throw new InsertionError('the value is null');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A template problem found without evaluating anything, at a 1-based line and column of the text. */
export interface TemplateProblem {
  message: string;
  offset: number;
  line: number;
  column: number;
  /**
   * The problem is about a slot after a `{{ raw }}` whose text cannot be known before it is
   * evaluated; rendering decides again with the real text, so it is reported, not thrown early.
   */
  afterRaw: boolean;
}

/** One slot of a plan: where it is, what to evaluate, and where its value lands. */
export interface PlannedSlot<C> {
  slot: TemplateSlot;
  raw: boolean;
  /** `{{ shq(...) }}`: the value is already shell-quoted words. */
  shq: boolean;
  /** The expression to evaluate (without `raw`). */
  code: string;
  /** Where a non-raw value lands; raw slots carry the context the scan saw, for messages only. */
  context: C;
}

/** A template split into parts, each slot with its context, and what cannot be rendered. */
export interface TemplatePlan<C> {
  template: string;
  file: string;
  parts: TemplatePart[];
  slots: Array<PlannedSlot<C>>;
  problems: TemplateProblem[];
}

/** A piece of a template for a context scan: literal text, an escaped slot, or an opaque raw one. */
export type ScanPiece = string | { slot: number; raw: boolean };

/** How a slot is written in messages: `{{ element.id }}`. */
function slotShown(slot: TemplateSlot): string {
  return `\`{{ ${slot.code.trim()} }}\``;
}

/** Where each line of a text starts, so many offsets turn into line and column in O(log n) each. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) this.starts.push(index + 1);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}

export function problemAt(lines: LineIndex, offset: number, message: string, afterRaw = false): TemplateProblem {
  return { message, offset, afterRaw, ...lines.position(offset) };
}

/** The problem as the operator reads it: `file:line:col: message`. */
export function problemError(plan: { template: string; file: string }, problem: TemplateProblem): FlowdeckError {
  return new FlowdeckError('template-error', problem.message, { file: plan.file, line: problem.line, column: problem.column });
}

/** An error about a slot's value, placed at the slot. */
export function slotError(plan: { template: string; file: string }, slot: TemplateSlot, message: string): FlowdeckError {
  return new FlowdeckError('template-error', `${slotShown(slot)}: ${message}`, { file: plan.file, ...templatePosition(plan.template, slot.start) });
}

/**
 * Parses a template and reads each slot's source; empty slots become problems. Throws the
 * parser's error for an unclosed `{{` (nothing after it can be read).
 */
export function readSlots(
  template: string,
  file: string,
): { parts: TemplatePart[]; sources: Array<{ slot: TemplateSlot } & SlotSource & { shq: boolean }>; problems: TemplateProblem[]; lines: LineIndex } {
  const parts = parseTemplate(template, file);
  const lines = new LineIndex(template);
  const sources: Array<{ slot: TemplateSlot } & SlotSource & { shq: boolean }> = [];
  const problems: TemplateProblem[] = [];
  for (const part of parts) {
    if (typeof part === 'string') continue;
    const source = parseRawSlot(part.code);
    if (part.code.trim() === '') problems.push(problemAt(lines, part.start, 'empty `{{ }}`: put an expression between the braces'));
    sources.push({ slot: part, ...source, shq: !source.raw && isShqCall(source.code) });
  }
  return { parts, sources, problems, lines };
}

/** The pieces a context scan reads: literal text and slot markers in template order. */
export function scanPieces(parts: readonly TemplatePart[], raws: readonly boolean[]): ScanPiece[] {
  const pieces: ScanPiece[] = [];
  let index = 0;
  for (const part of parts) {
    if (typeof part === 'string') pieces.push(part);
    else {
      pieces.push({ slot: index, raw: raws[index] ?? false });
      index += 1;
    }
  }
  return pieces;
}

/**
 * The pieces with each raw slot's text in place, as literal text: a raw value is shell (or
 * URL, or JSON) syntax, so the contexts after it are decided on the text it really is.
 */
export function piecesWithRawText(parts: readonly TemplatePart[], raws: readonly boolean[], rawText: (slot: number) => string): ScanPiece[] {
  const pieces: ScanPiece[] = [];
  let index = 0;
  for (const part of parts) {
    if (typeof part === 'string') pieces.push(part);
    else {
      pieces.push(raws[index] ? rawText(index) : { slot: index, raw: false });
      index += 1;
    }
  }
  return pieces;
}
