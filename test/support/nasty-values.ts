/**
 * Values that break naive template insertion, and a seeded generator of more, shared by the
 * escaping unit tests and the tests that run real shells. Every `touch` or `>` here creates a
 * file named `pwned-*`: if one ever exists after a run, a value ran as a command.
 */
import type { JsonValue } from '../../src-shared/domain/inventory';

const nastyStrings: readonly string[] = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  '$',
  '`',
  '$(touch pwned-subst)',
  '`touch pwned-backtick`',
  "'; touch pwned-single; '",
  '"; touch pwned-double; "',
  '$(touch "$TMPDIR/pwned-tmpdir")',
  "x'$(touch pwned-mixed)'y",
  '\'"\\$(touch pwned-all)`touch pwned-all2`"\'',
  'a;touch pwned-semicolon',
  'a && touch pwned-and',
  'a | tee pwned-pipe',
  'a > pwned-redirect',
  '\n',
  'a\nb',
  'a\ntouch pwned-newline\n',
  'EOF',
  'a\nEOF\ntouch pwned-heredoc\n',
  'EOF\ntouch pwned-heredoc-first',
  '\nEOF',
  'EOF\n',
  'EOF)',
  'EOF );touch pwned-comsub-heredoc',
  'x\nEOF) touch pwned-comsub-line\n',
  'OF) touch pwned-rest-of-delimiter',
  '\tEOF\ntouch pwned-tab-heredoc\n',
  '\t\tindented',
  'E',
  'OF',
  '*',
  '?',
  '[a]',
  '~',
  '~root',
  '!',
  '!!',
  '#',
  '# touch pwned-comment',
  '-n',
  '--',
  '-e',
  '\\n',
  'a\\',
  'a\\\n',
  '\\\nEOF\ntouch pwned-continuation',
  '${HOME}',
  '$HOME',
  '$((1+1))',
  '${IFS:+}',
  '{a,b}',
  '}',
  '{',
  ')',
  '(',
  '|',
  '&',
  ';',
  '<',
  '>',
  'a b  c',
  ' lead',
  'trail ',
  'héllo ☃ 𝄞 日本',
  '\r\n',
  '\u001b[31mred\u001b[0m',
  "$'x'",
  "a'b\"c`d$e\\f",
  ' \t\n',
  '%s',
  '%',
  '\\047',
  "''",
  '""',
  '$(',
  '`',
  '\\`touch pwned-escaped-backtick\\`',
  "\\'; touch pwned-backslash-quote; \\'",
];

export const nastyValues: readonly JsonValue[] = [
  ...nastyStrings,
  0,
  -1,
  42,
  1.5,
  1e21,
  true,
  false,
  ['a b', "c'd"],
  { cmd: '$(touch pwned-object)', n: 1 },
];

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces random values are built from: shell syntax, line breaks, delimiters, plain text. */
const pieces: readonly string[] = [
  ...`'"\\$!*?[]{};&|<>()#~=%^-+ \t\n\``.split(''),
  '$(',
  '${',
  '$((',
  '`touch pwned-r1`',
  '$(touch pwned-r2)',
  '; touch pwned-r3;',
  "'\\''",
  '\\\n',
  'EOF',
  'EOF\n',
  '\nEOF\n',
  '\tEOF',
  'A',
  'B',
  'IFS',
  'a',
  'z',
  '0',
  '9',
  'é',
  '☃',
  '𝄞',
  '\r',
];

/** `count` random strings from `seed`, 0 to 24 pieces each. */
export function randomStrings(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const length = Math.floor(random() * 25);
    let text = '';
    for (let j = 0; j < length; j += 1) text += pieces[Math.floor(random() * pieces.length)];
    out.push(text);
  }
  return out;
}
