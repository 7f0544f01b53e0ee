// How Ansible's INI inventory reads a line: host lines are split like a POSIX shell
// (Python's shlex) and their values read as Python literals; `[group:vars]` values are text.
import type { JsonValue } from '../../src-shared/domain/inventory';

/** One shell word; `quoteStart` is where in `text` the first quoted part began (-1: unquoted). */
export interface ShellWord {
  text: string;
  quoteStart: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Splits a host line into words as shlex does: `'..'` and `".."` group spaces and are removed,
 * a backslash escapes the next character (inside double quotes only `"` and `\`).
 * A `#` starting a word begins a comment. Unlike shlex, a `#` inside a word (`color=#fff`)
 * is kept: truncating a value there surprises more people than it helps.
 */
export function splitShellWords(line: string): Parsed<ShellWord[]> {
  const words: ShellWord[] = [];
  let cur: ShellWord | undefined;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      if (cur) words.push(cur);
      cur = undefined;
      i++;
      continue;
    }
    if (!cur && ch === '#') break;
    cur ??= { text: '', quoteStart: -1 };
    if (ch === "'" || ch === '"') {
      const close = ch;
      if (cur.quoteStart < 0) cur.quoteStart = cur.text.length;
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i] as string;
        if (c === close) {
          closed = true;
          i++;
          break;
        }
        if (close === '"' && c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          cur.text += line[i + 1];
          i += 2;
          continue;
        }
        cur.text += c;
        i++;
      }
      if (!closed) return { ok: false, message: `unterminated ${close === '"' ? 'double' : 'single'} quote` };
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= line.length) return { ok: false, message: 'the line ends with a lone backslash' };
      cur.text += line[i + 1];
      i += 2;
      continue;
    }
    cur.text += ch;
    i++;
  }
  if (cur) words.push(cur);
  return { ok: true, value: words };
}

const INT = /^[-+]?(?:0|[1-9]\d*(?:_\d+)*)$/;
const RADIX_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/;
const FLOAT = /^[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?$/;

/**
 * An unquoted host-line value the way Python's `ast.literal_eval` would type it: ints
 * (`42`, `0x1f`), floats (`1.5`, `1e3`), `True`/`False`, `None`; anything else stays text
 * (`007`, `1.2.3`, `true`, `yes`, `{{ var }}`). Python lists and dicts stay text too: a
 * context value written that way is rare and a half-right Python parser would be worse.
 * Integers JavaScript cannot hold exactly stay text rather than silently change.
 */
export function parsePythonLiteral(raw: string): JsonValue {
  if (raw === 'True') return true;
  if (raw === 'False') return false;
  if (raw === 'None') return null;
  if (INT.test(raw)) {
    const n = Number(raw.replaceAll('_', ''));
    return Number.isSafeInteger(n) ? n : raw;
  }
  const radix = RADIX_INT.exec(raw);
  if (radix) {
    const digits = (radix[2] as string).toLowerCase();
    const base = digits[1] === 'x' ? 16 : digits[1] === 'o' ? 8 : 2;
    const n = parseInt(digits.slice(2), base) * (radix[1] === '-' ? -1 : 1);
    return Number.isSafeInteger(n) ? n : raw;
  }
  if (FLOAT.test(raw)) {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

/** A `key=value` word of a host line: a quoted value is text, an unquoted one a Python literal. */
export function hostWordValue(word: ShellWord, eq: number): JsonValue {
  const raw = word.text.slice(eq + 1);
  return word.quoteStart > eq ? raw : parsePythonLiteral(raw);
}

/**
 * The value of a `[group:vars]` line: Ansible documents these as text, so `FALSE` stays
 * the string "FALSE". A value wholly in quotes loses them; ` #` or ` ;` after a value starts
 * a comment (inside quotes it does not).
 */
export function parseVarsValue(raw: string): Parsed<string> {
  const text = raw.trim();
  const q = text[0];
  if (q === '"' || q === "'") {
    let out = '';
    let i = 1;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === q) break;
      if (q === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        out += text[i + 1];
        i++;
        continue;
      }
      out += c;
    }
    if (i >= text.length) return { ok: false, message: `unterminated ${q === '"' ? 'double' : 'single'} quote` };
    const rest = text.slice(i + 1).trim();
    if (rest !== '' && rest[0] !== '#' && rest[0] !== ';') {
      return { ok: false, message: `unexpected ${JSON.stringify(rest)} after the closing quote` };
    }
    return { ok: true, value: out };
  }
  const comment = /\s[#;]/.exec(text);
  return { ok: true, value: (comment ? text.slice(0, comment.index) : text).trim() };
}
