/**
 * Maps QuickJS-ng error positions back onto the operator's own text.
 *
 * What QuickJS-ng 0.12 reports, and why this file exists:
 * - errors carry no lineNumber/columnNumber; positions live only in `stack` frames
 *   (`at f (file:line:col)`, or `at file:line:col` for a SyntaxError);
 * - columns count UTF-8 bytes, and on a source's first line they are 0-based;
 * - a SyntaxError's line is right but its column is stale (often the column of the
 *   enclosing function or 1), so the column is found again by re-parsing prefixes;
 * - a runtime error's frame holds the last *recorded* position before the failing
 *   operation, and declarations, conditions and `return` record none: `const c = a.b.c`
 *   on line 3 reports the function's start. The message names the property or variable,
 *   so when that name occurs once after the recorded position, that occurrence is it.
 */

/** How the operator's text sits inside the source handed to QuickJS. */
export interface WrappedSource {
  /** The operator's own text. */
  text: string;
  /** File name the wrapped source is compiled under. */
  file: string;
  /** Lines the wrapper puts before the operator's first line. */
  linesBefore: number;
}

/** 1-based, in the operator's text; the column counts UTF-16 code units as editors do. */
export interface Position {
  line: number;
  column: number;
  /** The position is past the end of the operator's text (in the wrapper's closing part). */
  atEnd?: boolean;
}

/** What the parser says about a prefix of the operator's text, in the operator's lines. */
export type SyntaxProbe = (prefix: string) => { message: string; position: Position } | undefined;

const lineBreak = /\r\n|[\n\r\u2028\u2029]/g;

/** Start offsets of each line, so slices and columns agree on what a line is. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(lineBreak)) starts.push(match.index + match[0].length);
  return starts;
}

function lineText(text: string, starts: readonly number[], line: number): string {
  const start = starts[line - 1] ?? 0;
  const next = starts[line];
  const end = next === undefined ? text.length : next;
  return text.slice(start, end).replace(/(\r\n|[\n\r\u2028\u2029])$/, '');
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Converts QuickJS's 1-based UTF-8 byte column to a 1-based UTF-16 column. */
function utf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  let index = 0;
  while (index < line.length && bytes < byteColumn - 1) {
    const codePoint = line.codePointAt(index) ?? 0;
    bytes += utf8Length(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index + 1;
}

function endPosition(text: string): Position {
  const starts = lineStarts(text);
  const line = starts.length;
  return { line, column: lineText(text, starts, line).length + 1, atEnd: true };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The innermost stack frame in the operator's code, mapped onto their text. */
export function positionFromStack(stack: string, source: WrappedSource): Position | undefined {
  const frame = new RegExp(`(?:^|[\\s(])${escapeRegExp(source.file)}:(\\d+):(\\d+)`);
  for (const line of stack.split('\n')) {
    const match = frame.exec(line);
    if (match) return toUserPosition(Number(match[1]), Number(match[2]), source);
  }
  return undefined;
}

function toUserPosition(wrappedLine: number, byteColumn: number, source: WrappedSource): Position {
  const starts = lineStarts(source.text);
  const line = wrappedLine - source.linesBefore;
  if (line < 1) return { line: 1, column: 1 };
  if (line > starts.length) return endPosition(source.text);
  return { line, column: utf16Column(lineText(source.text, starts, line), byteColumn) };
}

/**
 * Finds the column of a SyntaxError on a known line: the shortest prefix of the text that
 * still fails with the same message on the same line ends with the offending token.
 */
export function refineSyntaxPosition(source: WrappedSource, message: string, reported: Position, probe: SyntaxProbe): Position {
  const starts = lineStarts(source.text);
  const lineStart = starts[reported.line - 1];
  if (lineStart === undefined) return reported;
  const lineEnd = lineStart + lineText(source.text, starts, reported.line).length;
  const failsHere = (end: number): boolean => {
    const result = probe(source.text.slice(0, end));
    // A prefix that merely stops early fails in the wrapper's closing part: not the same error.
    return (
      result !== undefined &&
      result.message === message &&
      result.position.line === reported.line &&
      Boolean(result.position.atEnd) === Boolean(reported.atEnd)
    );
  };
  if (!failsHere(lineEnd) || failsHere(lineStart)) return reported;
  let passes = lineStart;
  let fails = lineEnd;
  while (fails - passes > 1) {
    const middle = Math.floor((passes + fails) / 2);
    if (failsHere(middle)) fails = middle;
    else passes = middle;
  }
  return { line: reported.line, column: tokenStart(source.text, lineStart, fails, message) - lineStart + 1 };
}

const identifierChar = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Where the token ending at `end` starts: the parser names it in the message, or we scan back. */
function tokenStart(text: string, lineStart: number, end: number, message: string): number {
  const named = /'(.+)'$/.exec(message)?.[1];
  if (named !== undefined && end - named.length >= lineStart && text.slice(end - named.length, end) === named) return end - named.length;
  const last = text[end - 1] ?? '';
  if (identifierChar.test(last)) {
    let start = end - 1;
    while (start > lineStart && identifierChar.test(text[start - 1] ?? '')) start--;
    return start;
  }
  if (last === '"' || last === "'" || last === '`') {
    const open = text.lastIndexOf(last, end - 2);
    if (open >= lineStart) return open;
  }
  return end - 1;
}

function offsetOf(text: string, position: Position): number {
  const starts = lineStarts(text);
  return (starts[position.line - 1] ?? 0) + position.column - 1;
}

function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  let line = 1;
  while (line < starts.length && (starts[line] ?? Infinity) <= offset) line++;
  return { line, column: offset - (starts[line - 1] ?? 0) + 1 };
}

/** Where in the text the failing name could be, as offsets of the name itself. */
function nameOccurrences(text: string, message: string): number[] | undefined {
  const notIdentifier = '(?![\\p{ID_Continue}$\\u200c\\u200d])';
  const property = /^cannot (?:read|set) property '(.+)' of (?:undefined|null)$/.exec(message)?.[1];
  if (property !== undefined) {
    const name = escapeRegExp(property);
    const pattern = new RegExp(`\\.\\s*${name}${notIdentifier}|\\[\\s*(?:'${name}'|"${name}"|${name})\\s*\\]`, 'gu');
    return [...text.matchAll(pattern)].map((match) => match.index + match[0].indexOf(property));
  }
  const variable = /^(\S+) is not defined$/.exec(message)?.[1];
  if (variable !== undefined) {
    const pattern = new RegExp(`(?<![.\\p{ID_Continue}$\\u200c\\u200d])${escapeRegExp(variable)}${notIdentifier}`, 'gu');
    return [...text.matchAll(pattern)].map((match) => match.index);
  }
  return undefined;
}

/** Moves a runtime error from QuickJS's last recorded position to the failing name, if unambiguous. */
export function refineRuntimePosition(source: WrappedSource, message: string, reported: Position): Position {
  if (reported.atEnd) return reported;
  const from = offsetOf(source.text, reported);
  const candidates = nameOccurrences(source.text, message)?.filter((offset) => offset >= from);
  if (candidates?.length !== 1 || candidates[0] === undefined) return reported;
  return positionAt(source.text, candidates[0]);
}
