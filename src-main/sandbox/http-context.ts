/**
 * Context-aware insertion for `http` steps: a value in a URL is percent-encoded for the part
 * of the URL it stands in, a value in a JSON body is JSON-encoded, and a header value can
 * never start a new header.
 *
 *   planHttpUrl(template, file)                -> TemplatePlan<UrlContext>
 *   renderHttpUrl(plan, values)                -> the URL
 *   bodyMode(contentType, template)            -> 'json' | 'form' | 'text'
 *   planHttpBody(template, file, contentType)  -> TemplatePlan<BodyContext> & { mode }
 *   renderHttpBody(plan, values)               -> the body
 *   planHttpHeader(template, file) / renderHttpHeader(plan, values)
 *   insertUrlValue / insertBodyValue / insertHeaderValue: one value for one context
 *
 * URL, by the part a slot stands in (read from the literal text around it):
 *   a slot that starts the URL   the value is the start of the URL itself (`{{ base }}/health`):
 *                                it must be an http(s) URL with no spaces or control characters
 *   scheme (`{{ s }}://`)        http or https only
 *   user:password@               percent-encoded (encodeURIComponent)
 *   host                         letters, digits, `.`, `-`, `_` only; an IPv6 address gets its [ ]
 *   port                         an integer 0-65535
 *   path, query, fragment        percent-encoded with encodeURIComponent, so a value is one
 *                                path segment (`/` becomes %2F) or one query value (`&`, `=`
 *                                and `#` are encoded too); a value that makes a whole path
 *                                segment `.`, `..` or empty is refused, since URL parsers would
 *                                remove or merge it (a value `..` must not reach another path)
 * Body: JSON when the Content-Type is application/json or `+json`, or, with no Content-Type,
 * when the body text starts with `{` or `[`. In JSON a slot inside a string literal gets
 * JSON string escaping (no quotes added) and a slot standing as a value gets
 * JSON.stringify(value) (null is `null` there). A form body
 * (application/x-www-form-urlencoded) is percent-encoded. Any other body is sent as the
 * template wrote it: values verbatim (their text form), since no encoding is known for it.
 * Header values: the value's text; CR, LF, NUL and other control characters are refused (a
 * line break would start a new header), and so are characters beyond Latin-1.
 * `{{ raw expr }}` inserts verbatim everywhere except that a header still refuses CR/LF.
 */
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { TemplatePart } from './template-syntax';
import {
  InsertionError,
  piecesWithRawText,
  problemAt,
  problemError,
  readSlots,
  scanPieces,
  slotError,
  valueText,
  type PlannedSlot,
  type ScanPiece,
  type TemplatePlan,
} from './template-values';

type Refused = { kind: 'refused'; reason: string };

export type UrlContext =
  | { kind: 'base' | 'scheme' | 'userinfo' | 'port' | 'path' | 'query' | 'fragment' }
  | { kind: 'host'; bracketed: boolean }
  | Refused;

export type BodyMode = 'json' | 'form' | 'text';
type BodyContext = { kind: 'json-string' | 'json-value' | 'form' | 'text' } | Refused;
type HeaderContext = { kind: 'header' };

export type UrlPlan = TemplatePlan<UrlContext>;
export type BodyPlan = TemplatePlan<BodyContext> & { mode: BodyMode };
export type HeaderPlan = TemplatePlan<HeaderContext>;

const REASONS = {
  scheme: 'a value cannot be part of the URL scheme; put the whole start of the URL (`https://host`) in the value, or write the scheme out',
  jsonBackslash: 'a `\\` right before `{{` would escape the first character of the value; remove it',
} as const;

function percentEncoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    throw new InsertionError('the value is not valid Unicode (a lone UTF-16 surrogate), so it cannot be percent-encoded');
  }
}

/** The part of the URL each slot stands in, from the literal text around it. */
function urlContexts(pieces: readonly ScanPiece[]): UrlContext[] {
  type Phase = 'scheme' | 'authority' | 'path' | 'query' | 'fragment';
  let phase: Phase = 'scheme';
  let literalSoFar = '';
  // Authority slots are classified once the whole authority is known (a later `@` makes them userinfo).
  let authority: Array<{ slot: number; before: string }> = [];
  let authorityText = '';
  const contexts: UrlContext[] = [];

  const closeAuthority = (): void => {
    for (const entry of authority) {
      const after = authorityText.slice(entry.before.length);
      if (after.includes('@')) {
        contexts[entry.slot] = { kind: 'userinfo' };
        continue;
      }
      const host = entry.before.slice(entry.before.lastIndexOf('@') + 1);
      const outsideBrackets = host.replace(/\[[^\]]*\]?/gu, '');
      if (outsideBrackets.includes(':')) contexts[entry.slot] = { kind: 'port' };
      else contexts[entry.slot] = { kind: 'host', bracketed: /\[[^\]]*$/u.test(host) };
    }
    authority = [];
  };

  pieces.forEach((piece, index) => {
    if (typeof piece !== 'string') {
      switch (phase) {
        case 'scheme': {
          const next = pieces[index + 1];
          if (literalSoFar !== '') contexts[piece.slot] = { kind: 'refused', reason: REASONS.scheme };
          else if (typeof next === 'string' && next.startsWith('://')) contexts[piece.slot] = { kind: 'scheme' };
          else {
            contexts[piece.slot] = { kind: 'base' };
            // What follows a base URL is read as its path (or query, or fragment).
            phase = 'path';
          }
          break;
        }
        case 'authority':
          authority.push({ slot: piece.slot, before: authorityText });
          // A stand-in character, so later text knows the authority is not empty here.
          authorityText += 'x';
          break;
        default:
          contexts[piece.slot] = { kind: phase };
      }
      return;
    }
    for (const char of piece) {
      literalSoFar += char;
      switch (phase) {
        case 'scheme':
          if (literalSoFar.endsWith('://')) phase = 'authority';
          else if (char === '/' && literalSoFar.endsWith(':/')) break;
          else if (char === '/' || char === '?' || char === '#') phase = char === '/' ? 'path' : char === '?' ? 'query' : 'fragment';
          break;
        case 'authority':
          if (char === '/' || char === '?' || char === '#') {
            closeAuthority();
            phase = char === '/' ? 'path' : char === '?' ? 'query' : 'fragment';
          } else authorityText += char;
          break;
        case 'path':
          if (char === '?') phase = 'query';
          else if (char === '#') phase = 'fragment';
          break;
        case 'query':
          if (char === '#') phase = 'fragment';
          break;
        case 'fragment':
          break;
      }
    }
  });
  closeAuthority();
  return contexts;
}

const HOST_NAME = /^[\p{L}\p{N}_](?:[\p{L}\p{N}._-]*)$/u;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/u;

/** The text that puts `value` in a URL at a place of the given context. */
function insertUrlValue(value: JsonValue, context: UrlContext): string {
  if (context.kind === 'refused') throw new InsertionError(context.reason);
  const text = valueText(value);
  switch (context.kind) {
    case 'base': {
      if (/[\s\p{Cc}]/u.test(text)) throw new InsertionError('the start of a URL cannot hold spaces or control characters');
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new InsertionError(`the value starts the URL, so it must be an absolute http(s) URL, not ${JSON.stringify(text)}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InsertionError(`the URL must be http or https, not ${url.protocol.slice(0, -1)}`);
      return text;
    }
    case 'scheme':
      if (!/^https?$/iu.test(text)) throw new InsertionError(`the URL scheme must be http or https, not ${JSON.stringify(text)}`);
      return text;
    case 'host':
      if (IPV6.test(text)) return context.bracketed ? text : `[${text}]`;
      if (context.bracketed) throw new InsertionError(`inside [ ] the host must be an IPv6 address, not ${JSON.stringify(text)}`);
      if (!HOST_NAME.test(text)) throw new InsertionError(`a host name may hold letters, digits, '.', '-' and '_' only, not ${JSON.stringify(text)}`);
      return text;
    case 'port':
      if (!/^\d{1,5}$/u.test(text) || Number(text) > 65535) throw new InsertionError(`a port must be a number from 0 to 65535, not ${JSON.stringify(text)}`);
      return text;
    case 'userinfo':
    case 'path':
    case 'query':
    case 'fragment':
      return percentEncoded(text);
  }
}

/** The literal text of the parts with raw slot texts in place, and the pieces to rescan. */
function rawPieces<C>(plan: TemplatePlan<C>, values: readonly JsonValue[]): { pieces: ScanPiece[] | null; texts: string[] } {
  const raws = plan.slots.map((slot) => slot.raw);
  const texts: string[] = [];
  plan.slots.forEach((planned, index) => {
    if (!planned.raw) return;
    texts[index] = withSlot(plan, planned, () => valueText(values[index] as JsonValue));
  });
  if (!raws.includes(true)) return { pieces: null, texts };
  return { pieces: piecesWithRawText(plan.parts, raws, (index) => texts[index] ?? ''), texts };
}

function withSlot<C>(plan: TemplatePlan<C>, planned: PlannedSlot<C>, make: () => string): string {
  try {
    return make();
  } catch (error) {
    if (error instanceof InsertionError) throw slotError(plan, planned.slot, error.message);
    throw error;
  }
}

function checkCount<C>(plan: TemplatePlan<C>, values: readonly JsonValue[]): void {
  if (values.length !== plan.slots.length) {
    throw new FlowdeckError('internal', `${plan.file}: ${values.length} values for ${plan.slots.length} template slots`);
  }
  const early = plan.problems.find((problem) => !problem.afterRaw);
  if (early) throw problemError(plan, early);
}

/** Joins the parts with each slot's text, recording where each slot's text landed. */
function assemble(parts: readonly TemplatePart[], texts: readonly string[]): { out: string; spans: Array<[number, number]> } {
  let out = '';
  const spans: Array<[number, number]> = [];
  let index = 0;
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else {
      const text = texts[index] ?? '';
      spans[index] = [out.length, out.length + text.length];
      out += text;
      index += 1;
    }
  }
  return { out, spans };
}

function planWith<C>(template: string, file: string, contextsOf: (pieces: ScanPiece[]) => C[], fallback: C, refusal: (context: C) => string | null): TemplatePlan<C> {
  const { parts, sources, problems, lines } = readSlots(template, file);
  const contexts = contextsOf(scanPieces(parts, sources.map((source) => source.raw)));
  let seenRaw = false;
  const slots = sources.map((source, index): PlannedSlot<C> => {
    const context = contexts[index] ?? fallback;
    const reason = refusal(context);
    if (reason !== null && !source.raw) problems.push(problemAt(lines, source.slot.start, reason, seenRaw));
    if (source.raw) seenRaw = true;
    return { slot: source.slot, raw: source.raw, shq: source.shq, code: source.code, context };
  });
  problems.sort((a, b) => a.offset - b.offset);
  return { template, file, parts, slots, problems };
}

const refusalOf = (context: { kind: string; reason?: string }): string | null => (context.kind === 'refused' ? (context.reason ?? 'refused') : null);

export function planHttpUrl(template: string, file: string): UrlPlan {
  return planWith(template, file, urlContexts, { kind: 'path' }, refusalOf);
}

/**
 * Fills a planned URL. After filling, a path segment holding a value must not be `.`, `..`
 * or empty: URL parsers resolve those, so a value could reach a different path.
 */
export function renderHttpUrl(plan: UrlPlan, values: readonly JsonValue[]): string {
  checkCount(plan, values);
  const { pieces, texts } = rawPieces(plan, values);
  const contexts = pieces ? urlContexts(pieces) : plan.slots.map((slot) => slot.context);
  plan.slots.forEach((planned, index) => {
    if (planned.raw) return;
    const context = contexts[index] ?? planned.context;
    texts[index] = withSlot(plan, planned, () => insertUrlValue(values[index] as JsonValue, context));
  });
  const { out, spans } = assemble(plan.parts, texts);
  plan.slots.forEach((planned, index) => {
    const context = contexts[index];
    const span = spans[index];
    if (planned.raw || context?.kind !== 'path' || !span) return;
    const start = out.lastIndexOf('/', span[0] - 1) + 1;
    const rest = out.slice(span[1]).search(/[/?#]/u);
    const segment = out.slice(start, rest < 0 ? out.length : span[1] + rest);
    if (segment === '' || /^(?:\.|%2e){1,2}$/iu.test(segment)) {
      const shown = segment === '' ? 'empty' : `\`${segment}\``;
      throw slotError(plan, planned.slot, `the value makes a path segment ${shown}, which would change the path the request goes to`);
    }
  });
  return out;
}

/** Whether a body is JSON, a form, or text sent as written. */
export function bodyMode(contentType: string | undefined, template: string): BodyMode {
  if (contentType !== undefined) {
    const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    if (media === 'application/json' || media.endsWith('+json')) return 'json';
    if (media === 'application/x-www-form-urlencoded') return 'form';
    return 'text';
  }
  // No Content-Type: a body that reads as a JSON object or array is JSON.
  const start = template.trimStart();
  return start.startsWith('{') && !start.startsWith('{{') ? 'json' : start.startsWith('[') ? 'json' : 'text';
}

/** Whether each slot of a JSON body stands inside a string literal or as a value. */
function jsonContexts(pieces: readonly ScanPiece[]): BodyContext[] {
  let inString = false;
  let escape = false;
  const contexts: BodyContext[] = [];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      if (inString && escape) contexts[piece.slot] = { kind: 'refused', reason: REASONS.jsonBackslash };
      else contexts[piece.slot] = { kind: inString ? 'json-string' : 'json-value' };
      escape = false;
      continue;
    }
    for (const char of piece) {
      if (inString) {
        if (escape) escape = false;
        else if (char === '\\') escape = true;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
    }
  }
  return contexts;
}

function insertBodyValue(value: JsonValue, context: BodyContext): string {
  switch (context.kind) {
    case 'refused':
      throw new InsertionError(context.reason);
    case 'json-value':
      return JSON.stringify(value);
    case 'json-string':
      return JSON.stringify(valueText(value)).slice(1, -1);
    case 'form':
      return percentEncoded(valueText(value));
    case 'text':
      return valueText(value);
  }
}

function bodyContexts(mode: BodyMode): (pieces: ScanPiece[]) => BodyContext[] {
  if (mode === 'json') return jsonContexts;
  return (pieces) => pieces.flatMap((piece) => (typeof piece === 'string' ? [] : [{ kind: mode }]));
}

export function planHttpBody(template: string, file: string, contentType?: string): BodyPlan {
  const mode = bodyMode(contentType, template);
  return { ...planWith(template, file, bodyContexts(mode), { kind: 'text' }, refusalOf), mode };
}

export function renderHttpBody(plan: BodyPlan, values: readonly JsonValue[]): string {
  checkCount(plan, values);
  const { pieces, texts } = rawPieces(plan, values);
  const contexts = pieces ? bodyContexts(plan.mode)(pieces) : plan.slots.map((slot) => slot.context);
  plan.slots.forEach((planned, index) => {
    if (planned.raw) return;
    const context = contexts[index] ?? planned.context;
    texts[index] = withSlot(plan, planned, () => insertBodyValue(values[index] as JsonValue, context));
  });
  return assemble(plan.parts, texts).out;
}

/**
 * A header value: the value's text, never a line break or NUL (they would end the header),
 * another control character, or a character beyond Latin-1 (HTTP headers are bytes; fetch
 * would refuse them with a less helpful message).
 */
export function insertHeaderValue(value: JsonValue): string {
  const text = valueText(value);
  if (/[\r\n\0]/u.test(text)) throw new InsertionError('a header value cannot hold a line break or NUL character (it would start a new header)');
  if (/[^\P{Cc}\t]/u.test(text)) throw new InsertionError('a header value cannot hold control characters');
  if (/[^\t -\u00ff]/u.test(text)) throw new InsertionError('a header value can hold Latin-1 characters only; percent-encode or base64-encode the value');
  return text;
}

export function planHttpHeader(template: string, file: string): HeaderPlan {
  return planWith(template, file, (pieces) => pieces.flatMap((piece) => (typeof piece === 'string' ? [] : [{ kind: 'header' as const }])), { kind: 'header' }, () => null);
}

export function renderHttpHeader(plan: HeaderPlan, values: readonly JsonValue[]): string {
  checkCount(plan, values);
  const texts = plan.slots.map((planned, index) => withSlot(plan, planned, () => insertHeaderValue(values[index] as JsonValue)));
  return assemble(plan.parts, texts).out;
}
