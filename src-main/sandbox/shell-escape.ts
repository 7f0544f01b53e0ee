/**
 * Escaping a value for the shell context its `{{ }}` stands in, so the shell reads it as
 * text and never as syntax, whatever it holds.
 *
 *   insertShellValue(value, context, { shq }) -> the text to put in the command
 *   renderShellTemplate(plan, values)         -> the command, every slot filled
 *
 * Per context (the value's text: strings as they are, numbers and booleans through String,
 * arrays and objects as JSON):
 *   bare          '...' with each ' written '\'' ; an empty value is '' (still one argument).
 *                 Numbers and booleans stay as they are (`kill 42`), except right before
 *                 `<`/`>`, where `2>file` would name a file descriptor. A whole `{{ shq(x) }}`
 *                 is already quoted words and stays as it is.
 *   double        \ $ ` " get a backslash
 *   single        each ' becomes '\'' (close, escaped quote, reopen)
 *   ansi-c        \ becomes \\ and ' becomes \047 (no ' is ever written, so dash, which has
 *                 no $'...', still reads a plain '...' it cannot leave)
 *   param-double  \ $ ` " } get a backslash; ' { ( are written "'" "{" "(" (the word of
 *                 "${x:-word}", where bash pairs quotes though it prints them, brace-expands
 *                 text between nested quotes, and reads <( as a process substitution)
 *   param-pattern every ASCII punctuation character and blank gets a backslash, so
 *                 "${x#pattern}" matches the value literally (`*` is not a wildcard)
 *   heredoc       \ $ ` get a backslash (" is literal in a here-document)
 *   arithmetic    only a number (or a string of digits) is allowed
 *   comment       line breaks become spaces, so the value cannot leave the comment
 * Then, inside `...`, \ $ ` get one more backslash. Inside a here-document, every line of
 * the inserted text that could make a line read as the delimiter (or start with it, which
 * bash takes as the end inside `$( )` when a `)` follows, or start with part of it followed by
 * a non-ASCII character, which dash mangles) starts with an empty quote pair (`''`, `""`) or
 * `${IFS:+}` (which expands to nothing); and a `\` before a line break inside quotes gets `''`
 * after it, since bash joins such lines in a here-document before looking for the delimiter.
 * A NUL character is refused everywhere: no shell command can carry one.
 */
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { shellContexts, type HeredocGuard, type ShellContext, type ShellPlan, type ShellQuoting } from './shell-context';
import { InsertionError, piecesWithRawText, problemError, slotError, valueText } from './template-values';

/** What `shq` produces: quoted strings (`'it'\''s'`) and numbers, separated by spaces. */
const SHQ_OUTPUT = /^(?:(?:'[^']*'|\\')+|-?(?:\d+(?:\.\d+)?(?:e[+-]\d+)?|NaN|Infinity)| )*$/u;

/** Text that reads as nothing in each context but stops a line from matching a here-document delimiter. */
const LINE_GUARD: Record<ShellQuoting, string> = {
  bare: "''",
  single: "''",
  double: '""',
  'param-double': '${IFS:+}',
  'param-pattern': '${IFS:+}',
  'ansi-c': "'$'",
  heredoc: '${IFS:+}',
  arithmetic: '${IFS:+}',
  comment: '',
};

function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function doubleEscaped(text: string): string {
  return text.replace(/[\\$`"]/gu, '\\$&');
}

function textFor(value: JsonValue, kind: ShellQuoting, beforeRedirect: boolean, shq: boolean): string {
  const text = valueText(value);
  if (text.includes('\0')) throw new InsertionError('the value contains a NUL character, which no shell command can carry');
  switch (kind) {
    case 'bare':
      if (shq && typeof value === 'string' && SHQ_OUTPUT.test(value)) return beforeRedirect && /\d$/u.test(value) ? `${value}''` : value;
      if ((typeof value === 'number' || typeof value === 'boolean') && !beforeRedirect) return text;
      return singleQuoted(text);
    case 'double':
      return doubleEscaped(text);
    case 'single':
      return text.replaceAll("'", "'\\''");
    case 'ansi-c':
      return text.replaceAll('\\', '\\\\').replaceAll("'", '\\047');
    case 'param-double':
      // bash pairs ' here (though it prints it), brace-expands a { it misreads as unquoted and
      // reads <( as a process substitution: each of ' { ( goes inside its own "...".
      return text.replace(/[\\$`"}'{(]/gu, (char) => (char === "'" || char === '{' || char === '(' ? `"${char}"` : `\\${char}`));
    case 'param-pattern':
      return text.replace(/[!-/:-@[-`{-~ \t]/gu, '\\$&');
    case 'heredoc':
      return text.replace(/[\\$`]/gu, '\\$&');
    case 'arithmetic':
      if ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^[+-]?\d+$/u.test(value))) return text;
      throw new InsertionError(`only a number can stand in shell arithmetic, not ${JSON.stringify(value)}`);
    case 'comment':
      return text.replaceAll('\n', ' ');
  }
}

/** One more level of backslashes, which the shell removes from the inside of `...` before parsing it. */
function inBackticks(text: string): string {
  return text.replace(/[\\$`]/gu, '\\$&');
}

/**
 * Whether a line piece of inserted text, following `matched` characters of the delimiter on
 * its line, could make that line end the here-document: read as the delimiter (the line may
 * go on with more text), start with the delimiter (bash, inside `$( )`), lose a leading tab
 * (`<<-`), or hit dash's dropping of a non-ASCII character right after part of the delimiter.
 */
function lineAtRisk(piece: string, delimiter: string, matched: number, leadingTabs: boolean): boolean {
  if (matched < 0) return false;
  let index = matched;
  let tabs = leadingTabs;
  for (const char of piece) {
    if (tabs && char === '\t') return true;
    tabs = false;
    if (index < delimiter.length && delimiter[index] === char) {
      index += 1;
      continue;
    }
    return index === delimiter.length || (index > 0 && char.charCodeAt(0) >= 0x80);
  }
  return true;
}

function guardLines(out: string, guard: string, heredocs: readonly HeredocGuard[]): string {
  return out
    .split('\n')
    .map((piece, line) => {
      const risky = heredocs.some((heredoc) =>
        line === 0
          ? lineAtRisk(piece, heredoc.delimiter, heredoc.lineSoFar, heredoc.leadingTabs)
          : lineAtRisk(piece, heredoc.delimiter, 0, heredoc.stripTabs),
      );
      return risky ? guard + piece : piece;
    })
    .join('\n');
}

/**
 * The text that puts `value` in a command at a place of the given context, read back by the
 * shell as exactly the value's text. `shq` says the slot is a whole `{{ shq(...) }}`.
 * Throws an InsertionError for a refused context or a value that cannot go there.
 */
export function insertShellValue(value: JsonValue, context: ShellContext, options: { shq?: boolean } = {}): string {
  if (context.kind === 'refused') throw new InsertionError(context.reason);
  let out = textFor(value, context.kind, context.beforeRedirect, options.shq ?? false);
  let guard = LINE_GUARD[context.kind];
  if (context.heredocs.length > 0 && (context.kind === 'bare' || context.kind === 'single')) {
    // Inside '...' a backslash is literal, but bash would still join the line with the next.
    out = out.replaceAll('\\\n', "\\''\n");
  }
  if (context.backticks) {
    out = inBackticks(out);
    guard = inBackticks(guard);
  }
  if (context.heredocs.length > 0) out = guardLines(out, guard, context.heredocs);
  return out;
}

/**
 * The text a raw slot inserts: the value's text, verbatim. Only a NUL is refused (a command
 * cannot carry it, and cutting the command there could drop a closing quote).
 */
export function rawShellText(value: JsonValue): string {
  const text = valueText(value);
  if (text.includes('\0')) throw new InsertionError('the value contains a NUL character, which no shell command can carry');
  return text;
}

/**
 * Fills every slot of a planned shell template; `values[i]` is the value of `plan.slots[i]`.
 * When raw slots are present the contexts are decided again with their text in place, since
 * a raw value is shell syntax that may open or close quotes. Throws a 'template-error'
 * FlowdeckError at the slot's line and column for the first slot that cannot be filled.
 */
export function renderShellTemplate(plan: ShellPlan, values: readonly JsonValue[]): string {
  if (values.length !== plan.slots.length) {
    throw new FlowdeckError('internal', `${plan.file}: ${values.length} values for ${plan.slots.length} template slots`);
  }
  const early = plan.problems.find((problem) => !problem.afterRaw);
  if (early) throw problemError(plan, early);
  const raws = plan.slots.map((slot) => slot.raw);
  const texts: string[] = [];
  const attempt = (index: number, make: () => string): string => {
    const planned = plan.slots[index];
    if (!planned) throw new FlowdeckError('internal', `${plan.file}: no template slot ${index}`);
    try {
      return make();
    } catch (error) {
      if (error instanceof InsertionError) throw slotError(plan, planned.slot, error.message);
      throw error;
    }
  };
  plan.slots.forEach((planned, index) => {
    if (planned.raw) texts[index] = attempt(index, () => rawShellText(values[index] as JsonValue));
  });
  const contexts = raws.includes(true) ? shellContexts(piecesWithRawText(plan.parts, raws, (index) => texts[index] ?? '')) : plan.slots.map((slot) => slot.context);
  plan.slots.forEach((planned, index) => {
    if (planned.raw) return;
    const context = contexts[index] ?? planned.context;
    texts[index] = attempt(index, () => insertShellValue(values[index] as JsonValue, context, { shq: planned.shq }));
  });
  let out = '';
  let index = 0;
  for (const part of plan.parts) {
    if (typeof part === 'string') out += part;
    else {
      out += texts[index] ?? '';
      index += 1;
    }
  }
  return out;
}
