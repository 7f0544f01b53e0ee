// How Ansible's INI inventory reads a line: host lines are split as Python's
// `shlex.split(line, comments=True)` splits them, and every value, on a host line or in a
// `[group:vars]` section, is read by `ast.literal_eval` (see python-literal.ts).
import type { JsonValue } from '../../src-shared/domain/inventory';
import { evalPythonLiteral } from './python-literal';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Splits a host line into words as POSIX shlex does with comments on: `'..'` and `".."` group
 * spaces and are removed (inside double quotes a backslash escapes only `"` and `\`), a
 * backslash outside quotes escapes the next character, and a `#` outside quotes ends the line,
 * even in the middle of a word (`color=#fff` is `color=`, as Ansible reads it).
 */
export function splitShellWords(line: string): Parsed<string[]> {
  const words: string[] = [];
  let cur: string | undefined;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      i++;
      continue;
    }
    if (ch === '#') break;
    cur ??= '';
    if (ch === "'" || ch === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i] as string;
        if (c === ch) {
          closed = true;
          i++;
          break;
        }
        if (ch === '"' && c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        cur += c;
        i++;
      }
      if (!closed) return { ok: false, message: `unterminated ${ch === '"' ? 'double' : 'single'} quote` };
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= line.length) return { ok: false, message: 'the line ends with a lone backslash' };
      cur += line[i + 1];
      i += 2;
      continue;
    }
    cur += ch;
    i++;
  }
  if (cur !== undefined) words.push(cur);
  return { ok: true, value: words };
}

/**
 * A value as ansible-core's INI plugin keeps it: `ast.literal_eval` of the text, or the text
 * itself when it is not a Python literal. So `2` is 2, `'2'` is "2", `[1, 2]` a list,
 * `{"a": 1}` a dict, `True` true, `None` null, while `false`, `yes` and `a b` stay text.
 * A literal Ansible cannot report as JSON either (a set, a complex number) is refused, and an
 * integer past 2^53 or a float past 1e308 stays text rather than change its value.
 */
export function iniValue(raw: string): Parsed<JsonValue> {
  const r = evalPythonLiteral(raw);
  if (r.kind === 'value') return { ok: true, value: r.value };
  if (r.kind === 'text') return { ok: true, value: raw };
  return { ok: false, message: `${r.message}: ${raw}` };
}
