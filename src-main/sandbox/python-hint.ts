/**
 * Operators coming from Ansible/Salt often write Python by reflex. When such a script fails,
 * the engine's own message ("Unexpected identifier 'x'") does not tell them why; this does.
 */

interface PythonTell {
  /** Tested against the script without string literals and `//` comments, unless `raw`. */
  pattern: RegExp;
  raw?: boolean;
  advice: string;
}

const tells: readonly PythonTell[] = [
  { pattern: /\blambda\b[^:\n]*:/, advice: "`x => x.context.role === 'master' ? 1 : 0` instead of `lambda x: ...`" },
  { pattern: /\.sort\(\s*key\s*=/, advice: '`order_flow_elements(elements, x => ...)` instead of `elements.sort(key=...)`' },
  { pattern: /(^|[^.\w$])(True|False|None)\b/, advice: '`true/false/null` instead of `True/False/None`' },
  { pattern: /^\s*def\s+[\w$]+\s*\(/m, advice: '`function f(x) { ... }` or `const f = x => ...` instead of `def f(x):`' },
  { pattern: /^\s*elif\b/m, advice: '`else if (...) { ... }` instead of `elif ...:`' },
  {
    pattern: /^\s*(if|elif|else|for|while|def|try|except|finally|with|class)\b[^\n{}]*:\s*$/m,
    advice: '`{ ... }` around blocks instead of a trailing `:` and indentation',
  },
  { pattern: /^\s*print\b(?!\s*[=.])/m, advice: 'no `print`: the result is the `elements` array (or the array you `return`)' },
  { pattern: /\blen\(/, advice: '`list.length` instead of `len(list)`' },
  { pattern: /^\s*#(?!!)/m, raw: true, advice: '`//` for comments' },
];

/** Blanks one-line string literals and `//` comments so `'None'` or `// True` are not tells. */
function withoutStringsAndComments(script: string): string {
  return script.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''").replace(/\/\/.*$/gm, '');
}

/** The hint to append to a failed script's error, or undefined if it does not look like Python. */
export function pythonHint(script: string): string | undefined {
  const stripped = withoutStringsAndComments(script);
  const advice = tells.filter((tell) => tell.pattern.test(tell.raw ? script : stripped)).map((tell) => tell.advice);
  if (advice.length === 0) return undefined;
  return `This looks like Python; Flowdeck scripts are JavaScript: write ${advice.join(', ')}.`;
}
