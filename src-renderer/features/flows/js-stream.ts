import { StreamLanguage, type StringStream } from '@codemirror/language';

/**
 * A small JavaScript tokenizer for the processing script editor: comments, strings, template
 * literals, numbers, keywords and the sandbox's own names. @codemirror/lang-javascript is not a
 * dependency, and a full parser buys little for scripts of a few lines; this gives the colours
 * that make a script readable (and a comment obviously a comment) with what is bundled already.
 */

const KEYWORDS = new Set([
  'async', 'await', 'break', 'case', 'catch', 'const', 'continue', 'default', 'delete', 'do', 'else', 'for', 'function', 'if', 'in',
  'instanceof', 'let', 'new', 'of', 'return', 'switch', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'yield',
]);
const ATOMS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'this']);
/** What the sandbox hands the processing script. */
const BUILTINS = new Set(['elements', 'params', 'order_flow_elements', 'filter_flow_elements']);

export interface JsState {
  /** Inside a block comment or a template literal that goes on over the line end. */
  inside: 'comment' | 'template' | null;
}

function until(stream: StringStream, end: string, escapes: boolean): boolean {
  let escaped = false;
  let ch: string | void;
  while ((ch = stream.next()) !== undefined) {
    if (!escaped && stream.string.startsWith(end, stream.pos - 1)) {
      stream.pos += end.length - 1;
      return true;
    }
    escaped = escapes && !escaped && ch === '\\';
  }
  return false;
}

export function jsToken(stream: StringStream, state: JsState): string | null {
  if (state.inside === 'comment') {
    if (until(stream, '*/', false)) state.inside = null;
    return 'comment';
  }
  if (state.inside === 'template') {
    if (until(stream, '`', true)) state.inside = null;
    return 'string';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('/*')) {
    if (!until(stream, '*/', false)) state.inside = 'comment';
    return 'comment';
  }
  const ch = stream.next();
  if (ch === undefined) return null;
  if (ch === '"' || ch === "'") {
    until(stream, ch, true);
    return 'string';
  }
  if (ch === '`') {
    if (!until(stream, '`', true)) state.inside = 'template';
    return 'string';
  }
  if (/\d/.test(ch)) {
    stream.match(/^[\d_]*(\.[\d_]*)?([eE][+-]?\d+)?/);
    return 'number';
  }
  if (/[A-Za-z_$]/.test(ch)) {
    stream.eatWhile(/[\w$]/);
    const word = stream.current();
    if (KEYWORDS.has(word)) return 'keyword';
    if (ATOMS.has(word)) return 'atom';
    if (BUILTINS.has(word)) return 'variableName.special';
    return 'variableName';
  }
  if (/[+\-*/%=<>!&|?:^~]/.test(ch)) {
    stream.eatWhile(/[+\-*/%=<>!&|?:^~]/);
    return 'operator';
  }
  return null;
}

export const processingLanguage = StreamLanguage.define<JsState>({
  name: 'javascript',
  startState: () => ({ inside: null }),
  copyState: (s) => ({ ...s }),
  token: jsToken,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
