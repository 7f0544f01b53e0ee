/**
 * Where each `{{ }}` of a shell command stands, read the way a POSIX shell tokenises the
 * text around it, so a value can be escaped for exactly that place.
 *
 *   planShellTemplate(template, file) -> { parts, slots: [{ slot, raw, shq, code, context }], problems }
 *   shellContexts(pieces)             -> the context of every slot in a sequence of text and slots
 *   isPosixShellInterpreter(command)  -> whether a `script:` interpreter parses its script as sh does
 *
 * A context is one of:
 *   bare          outside quotes (also the word of an unquoted `${x:-word}`)
 *   double        inside "..."
 *   single        inside '...'
 *   ansi-c        inside bash's $'...'
 *   param-double  the word of `${x:-word}` (also `-`, `=`, `?`, `+`) inside "..." or a here-document
 *   param-pattern the pattern of `${x#pattern}` (also `##`, `%`, `%%`) inside "..." or a here-document
 *   heredoc       the body of an unquoted here-document (`<<EOF`): like "..." but `"` is literal
 *   arithmetic    inside $(( )), bash's (( )) or an array subscript
 *   comment       after a `#` that starts a word
 * plus two facts that change the escaping: the slot is inside `...` (backslashes are taken
 * once more by the shell), and the here-documents whose body the slot is in (a line of the
 * value must never read as their delimiter). Inside `$( )` and `` `...` `` quoting starts
 * afresh, so the scanner keeps a stack of frames.
 *
 * Refused, with a message that says why and what to write instead: a quoted here-document
 * body (`<<'EOF'`: nothing can be escaped there), a here-document delimiter, a variable name
 * or operator in `${...}`, a slot right after an unescaped `\` (it would escape the value's
 * first character) or `$` (the value would become part of an expansion), backticks inside
 * backticks, a here-document inside backticks, and the places where dash and bash read the
 * same text differently or bash misreads it (`"..."` nested in a double-quoted `${...}` or in
 * backticks inside "..."; a line of a here-document that starts with its delimiter, which
 * bash inside `$( )` takes as the end when a `)` follows).
 *
 * The scan is one pass over the text with a constant amount of work per character (the frame
 * stack is capped at 64; past it every later slot is refused) and never throws.
 */
import { readSlots, problemAt, scanPieces, type PlannedSlot, type ScanPiece, type TemplatePlan } from './template-values';

/**
 * A here-document whose body holds the slot: no line that the inserted text is part of may
 * read as (or, for bash inside `$( )`, start with) its delimiter.
 */
export interface HeredocGuard {
  delimiter: string;
  /** `<<-`: leading tabs are removed before a line is compared with the delimiter. */
  stripTabs: boolean;
  /** How many characters of the delimiter the slot's line matches so far; -1 once it cannot match. */
  lineSoFar: number;
  /** `<<-` and the line so far is only tabs (a tab the value starts with would be removed). */
  leadingTabs: boolean;
}

export type ShellQuoting = 'bare' | 'double' | 'single' | 'ansi-c' | 'param-double' | 'param-pattern' | 'heredoc' | 'arithmetic' | 'comment';

export type ShellContext =
  | {
      kind: ShellQuoting;
      /** Bare only: `<` or `>` follows, so a number must be quoted or it would name a file descriptor. */
      beforeRedirect: boolean;
      /** Inside `` `...` ``: the shell removes one level of `\` before it parses the inside. */
      backticks: boolean;
      /** The unquoted here-documents whose body contains the slot, innermost last. */
      heredocs: HeredocGuard[];
    }
  | { kind: 'refused'; reason: string };

export type ShellPlan = TemplatePlan<ShellContext>;
type PlannedShellSlot = PlannedSlot<ShellContext>;

const MAX_DEPTH = 64;

const REASONS = {
  backslash: 'a `\\` right before `{{` would escape the first character of the value; remove the backslash or put the `{{ }}` inside quotes',
  dollar: 'a `$` right before `{{` would make the value part of a `$` expansion; write `\\$` (or `\'$\'`) if a literal `$` is meant',
  delimiter: 'a here-document delimiter (`<<WORD`) cannot come from a value',
  quotedHeredoc:
    "nothing in a value can be escaped inside a quoted here-document (`<<'EOF'`): its text is kept literally, and a line `EOF` in the value would end it early; " +
    'use an unquoted delimiter (`<<EOF`), pass the value in `env:`, or write `{{ raw ... }}` for a trusted value',
  heredocDelimiterChars: 'a here-document whose delimiter holds `$` or a backtick cannot hold a value safely; use a plain delimiter such as `EOF`',
  lineStartsWithDelimiter:
    "this line of the here-document starts with the delimiter; bash ends the document at such a line when it holds a `)`, so no value may follow on it",
  heredocInBackticks: 'a here-document inside backticks cannot hold a value safely; use `$( )` instead of backticks',
  paramName: 'the name of a variable in `${...}` cannot come from a value',
  paramOperator: 'the operator of a `${...}` expansion cannot come from a value',
  paramOperatorQuoted:
    'inside double quotes (or a here-document) only `${x:-word}`-style and `${x#pattern}`-style expansions can hold a value; move the `{{ }}` out of the quotes',
  nestedQuotesInParam:
    'bash\'s brace expansion misreads `"..."` nested inside a double-quoted `${...}`; drop the inner quotes: `"${x:-{{ v }}}"` is escaped correctly',
  nestedQuotesInBackticks: 'bash misreads `"..."` nested inside backticks that are inside double quotes; use `$( )` instead of the backticks',
  nestedBackticks: 'backticks inside backticks cannot be followed safely; use `$( )` instead',
  commentInHeredoc: 'a `#` comment inside `$( )` in a here-document cannot hold a value safely; move the `{{ }}` out of the comment',
  depth: 'the command nests quotes and substitutions more than 64 deep; the quoting around this `{{ }}` cannot be followed',
  disagreement:
    'dash and bash read the text before this `{{ }}` differently (a `\\"` inside backticks in a here-document, a here-document that ends inside `$( )`, ' +
    'or a backslash-newline inside quotes in a here-document), so no escaping is right for both; simplify that part of the command',
} as const;

type CmdPend = '' | '$' | '$(' | '<' | '<<' | '>' | '(';
type DollarPend = '' | '$' | '$(';

interface HeredocWord {
  stripTabs: boolean;
  started: boolean;
  text: string;
  quoted: boolean;
  quote: '' | "'" | '"';
  escape: boolean;
  /** Part of the word came from a raw slot, so where the body ends cannot be known. */
  unknown: boolean;
}

interface CmdFrame {
  kind: 'cmd';
  closer: 'eof' | 'paren' | 'backtick';
  /** Open `(` inside this frame (subshells, `case` patterns written `(a)`). */
  depth: number;
  /** Open `case ... esac`: a `)` there ends a pattern, not a `$( )`. */
  caseDepth: number;
  comment: boolean;
  wordStart: boolean;
  cmdStart: boolean;
  wordCmdStart: boolean;
  word: string;
  wordPlain: boolean;
  escape: boolean;
  pend: CmdPend;
  heredocWord: HeredocWord | null;
}

interface DoubleFrame {
  kind: 'double';
  /** Nested in a `${...}` that is itself inside "..." (bash's brace expansion misreads it). */
  inQuotedParam: boolean;
  escape: boolean;
  pend: DollarPend;
}

interface SingleFrame {
  kind: 'single';
}

interface AnsiFrame {
  kind: 'ansi';
  escape: boolean;
}

interface ParamFrame {
  kind: 'param';
  /** Inside "..." or a here-document the word is quoted text; outside it is a shell word. */
  quoted: 'none' | 'double' | 'heredoc';
  /** name: reading the name; op / op-colon: reading the operator; word: after it. */
  phase: 'name' | 'op' | 'op-colon' | 'word';
  nameLength: number;
  /** word: `-=?+` (the word is text); pattern: `#%` and bash's `^,`; arith: `${x:1:2}`; other: bash's `/`, `@`. */
  op: 'none' | 'word' | 'pattern' | 'arith' | 'other';
  escape: boolean;
  pend: DollarPend;
}

interface ArithFrame {
  kind: 'arith';
  closer: '))' | ']';
  depth: number;
  pendClose: boolean;
  escape: boolean;
  pend: DollarPend;
}

interface HeredocFrame {
  kind: 'heredoc';
  /** null when a raw slot wrote part of the delimiter. */
  delimiter: string | null;
  stripTabs: boolean;
  quoted: boolean;
  escape: boolean;
  pend: DollarPend;
  // The line being read, matched against the delimiter as it comes.
  matched: number;
  stripping: boolean;
  /** The line read so far begins with the whole delimiter. */
  startsWithDelimiter: boolean;
  oddBackslash: boolean;
  matchedBeforeBackslash: number;
  strippingBeforeBackslash: boolean;
}

interface OpaqueFrame {
  kind: 'opaque';
}

type Frame = CmdFrame | DoubleFrame | SingleFrame | AnsiFrame | ParamFrame | ArithFrame | HeredocFrame | OpaqueFrame;

interface PendingHeredoc {
  delimiter: string | null;
  stripTabs: boolean;
  quoted: boolean;
}

interface BacktickState {
  /** Index of the backtick's command frame in the stack. */
  index: number;
  escape: boolean;
  /** Directly inside "...": `\"` is unescaped too (dash and bash agree). */
  unescapesQuote: boolean;
  /** Inside a here-document or a double-quoted `${...}`: shells disagree about `\"`. */
  quoteAmbiguous: boolean;
}

const KEYWORDS_BEFORE_COMMAND = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', 'time']);

function cmdFrame(closer: CmdFrame['closer']): CmdFrame {
  return {
    kind: 'cmd',
    closer,
    depth: 0,
    caseDepth: 0,
    comment: false,
    wordStart: true,
    cmdStart: true,
    wordCmdStart: false,
    word: '',
    wordPlain: false,
    escape: false,
    pend: '',
    heredocWord: null,
  };
}

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

function isOperatorChar(ch: string): boolean {
  return ch === ';' || ch === '&' || ch === '|' || ch === '<' || ch === '>' || ch === '(' || ch === ')';
}

/** A push scanner: literal characters go in one by one; at a slot it answers the slot's context. */
class ShellScanner {
  private readonly stack: Frame[] = [cmdFrame('eof')];
  private readonly pendingHeredocs: PendingHeredoc[] = [];
  private heredocCount = 0;
  private bt: BacktickState | null = null;
  private lostReason: string | null = null;

  text(text: string): void {
    for (const ch of text) {
      if (this.lostReason !== null) return;
      this.raw(ch);
    }
  }

  /** The context of a slot here; then the slot counts as a character of the current word. */
  slot(): ShellContext {
    if (this.lostReason !== null) return { kind: 'refused', reason: this.lostReason };
    let refusal: string | null = null;
    if (this.bt?.escape) {
      this.bt.escape = false;
      refusal = REASONS.backslash;
    }
    let kind: ShellQuoting = 'bare';
    let top = this.top();
    // A pending `$(` becomes the command frame the slot starts.
    if ('pend' in top && top.pend === '$(') {
      top.pend = '';
      this.push(cmdFrame('paren'));
      if (this.lostReason !== null) return { kind: 'refused', reason: this.lostReason };
      top = this.top();
    }
    switch (top.kind) {
      case 'cmd':
        if (top.comment) kind = 'comment';
        else if (top.heredocWord) {
          refusal = REASONS.delimiter;
          top.heredocWord.started = true;
          top.heredocWord.unknown = true;
        } else {
          if (top.escape) {
            top.escape = false;
            refusal = REASONS.backslash;
          } else if (top.pend === '$') refusal = REASONS.dollar;
          else if (top.pend === '<<') {
            refusal = REASONS.delimiter;
            top.heredocWord = { stripTabs: false, started: true, text: '', quoted: false, quote: '', escape: false, unknown: true };
          } else if (top.pend === '(') top.depth += 1;
          top.pend = '';
          this.wordChar(top, '');
        }
        break;
      case 'double':
      case 'heredoc':
      case 'param':
      case 'arith': {
        if (top.escape) {
          top.escape = false;
          refusal = REASONS.backslash;
        } else if (top.pend === '$') refusal = REASONS.dollar;
        top.pend = '';
        if (top.kind === 'double') {
          kind = 'double';
          if (top.inQuotedParam) refusal ??= REASONS.nestedQuotesInParam;
          else if (this.bt?.unescapesQuote) refusal ??= REASONS.nestedQuotesInBackticks;
        } else if (top.kind === 'heredoc') {
          kind = 'heredoc';
          if (top.quoted) refusal = REASONS.quotedHeredoc;
        } else if (top.kind === 'arith') {
          kind = 'arithmetic';
          top.pendClose = false;
        } else {
          const [paramKind, paramRefusal] = paramSlot(top);
          kind = paramKind;
          refusal ??= paramRefusal;
          if (top.phase !== 'word') top.phase = 'word';
        }
        break;
      }
      case 'single':
        kind = 'single';
        break;
      case 'ansi':
        if (top.escape) {
          top.escape = false;
          refusal = REASONS.backslash;
        }
        kind = 'ansi-c';
        break;
      case 'opaque':
        refusal = REASONS.nestedBackticks;
        break;
    }
    const heredocs: HeredocGuard[] = [];
    if (this.heredocCount > 0) {
      this.stack.forEach((frame, index) => {
        if (frame.kind !== 'heredoc' || frame.quoted || frame.delimiter === null) return;
        if (this.bt && index > this.bt.index) refusal ??= REASONS.heredocInBackticks;
        else if (/[$`]/u.test(frame.delimiter)) refusal ??= REASONS.heredocDelimiterChars;
        else if (frame.startsWithDelimiter) refusal ??= REASONS.lineStartsWithDelimiter;
        heredocs.push({ delimiter: frame.delimiter, stripTabs: frame.stripTabs, lineSoFar: frame.matched, leadingTabs: frame.stripping });
      });
      for (const frame of this.stack) {
        if (frame.kind !== 'heredoc') continue;
        // The line now holds inserted text, which escaping keeps from reading as the delimiter.
        frame.matched = -1;
        frame.stripping = false;
        frame.oddBackslash = false;
      }
    }
    if (kind === 'comment' && heredocs.length > 0) refusal ??= REASONS.commentInHeredoc;
    if (refusal !== null) return { kind: 'refused', reason: refusal };
    return { kind, beforeRedirect: false, backticks: this.bt !== null, heredocs };
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  private lose(reason: string): void {
    this.lostReason ??= reason;
  }

  private push(frame: Frame): void {
    if (this.stack.length >= MAX_DEPTH) {
      this.lose(REASONS.depth);
      return;
    }
    this.stack.push(frame);
    if (frame.kind === 'heredoc') this.heredocCount += 1;
  }

  /** Pops frames until the stack has `length` frames. */
  private popTo(length: number): void {
    while (this.stack.length > length) {
      const frame = this.stack.pop() as Frame;
      if (frame.kind === 'heredoc') this.heredocCount -= 1;
    }
    if (this.bt && this.bt.index >= this.stack.length) this.bt = null;
  }

  private pushBacktick(): void {
    if (this.bt) {
      this.push({ kind: 'opaque' });
      return;
    }
    const below = this.top();
    const index = this.stack.length;
    this.push(cmdFrame('backtick'));
    if (this.stack.length === index) return;
    this.bt = {
      index,
      escape: false,
      unescapesQuote: below.kind === 'double',
      quoteAmbiguous: below.kind === 'heredoc' || (below.kind === 'param' && below.quoted !== 'none'),
    };
  }

  /** A character as it is in the text: here-document lines and the backtick layer see it first. */
  private raw(ch: string): void {
    if (this.heredocCount > 0 && this.trackLines(ch, 0, this.bt ? this.bt.index : this.stack.length)) return;
    const bt = this.bt;
    if (bt) {
      if (bt.escape) {
        bt.escape = false;
        if (ch === '\\' || ch === '$' || ch === '`' || (ch === '"' && bt.unescapesQuote)) {
          this.deliver(ch);
          return;
        }
        if (ch === '"' && bt.quoteAmbiguous) this.lose(REASONS.disagreement);
        this.deliver('\\');
        if (this.lostReason === null) this.deliver(ch);
        return;
      }
      if (ch === '\\') {
        bt.escape = true;
        return;
      }
      if (ch === '`') {
        this.popTo(bt.index);
        return;
      }
    }
    this.deliver(ch);
  }

  /** A character as the innermost parser sees it (inside backticks: after one level of `\` is removed). */
  private deliver(ch: string): void {
    if (this.bt && this.heredocCount > 0 && this.trackLines(ch, this.bt.index + 1, this.stack.length)) return;
    // Each round either consumes the character or moves to a new top frame; a handful at most.
    for (let round = 0; round < 8 && this.lostReason === null; round += 1) {
      if (this.step(this.top(), ch)) return;
    }
  }

  /** Feeds a character to the line trackers of here-documents in stack[from, to); true if one ended. */
  private trackLines(ch: string, from: number, to: number): boolean {
    for (let index = from; index < to; index += 1) {
      const frame = this.stack[index];
      if (frame?.kind !== 'heredoc') continue;
      if (this.lineEnds(frame, ch)) {
        // bash ends the document here; dash, inside an open `$( )` or quote, reads on.
        if (index < this.stack.length - 1) this.lose(REASONS.disagreement);
        this.popTo(index);
        this.afterHeredoc();
        return true;
      }
    }
    return false;
  }

  private lineEnds(frame: HeredocFrame, ch: string): boolean {
    const delimiter = frame.delimiter;
    if (delimiter === null) return false;
    if (ch === '\n') {
      if (!frame.quoted && frame.oddBackslash) {
        // A backslash-newline joins the lines before the delimiter is looked for; bash does so
        // inside quotes too, dash does not.
        const top = this.top();
        if (top.kind === 'single' || top.kind === 'ansi') this.lose(REASONS.disagreement);
        frame.matched = frame.matchedBeforeBackslash;
        frame.stripping = frame.strippingBeforeBackslash;
        frame.oddBackslash = false;
        return false;
      }
      const ended = frame.matched === delimiter.length;
      frame.matched = 0;
      frame.stripping = frame.stripTabs;
      frame.startsWithDelimiter = false;
      frame.oddBackslash = false;
      return ended;
    }
    if (!frame.quoted && ch === '\\') {
      if (!frame.oddBackslash) {
        frame.matchedBeforeBackslash = frame.matched;
        frame.strippingBeforeBackslash = frame.stripping;
      }
      frame.oddBackslash = !frame.oddBackslash;
    } else frame.oddBackslash = false;
    if (frame.stripping && ch === '\t') return false;
    frame.stripping = false;
    if (frame.matched >= 0 && frame.matched < delimiter.length && delimiter[frame.matched] === ch) {
      frame.matched += 1;
      if (frame.matched === delimiter.length) frame.startsWithDelimiter = true;
    } else frame.matched = -1;
    return false;
  }

  /** After a here-document's delimiter line: the next pending body, or back to commands. */
  private afterHeredoc(): void {
    const next = this.pendingHeredocs.shift();
    if (next) {
      this.pushHeredoc(next);
      return;
    }
    const top = this.top();
    if (top.kind === 'cmd') {
      top.wordStart = true;
      top.cmdStart = true;
    }
  }

  private pushHeredoc(pending: PendingHeredoc): void {
    this.push({
      kind: 'heredoc',
      delimiter: pending.delimiter,
      stripTabs: pending.stripTabs,
      quoted: pending.quoted,
      escape: false,
      pend: '',
      matched: 0,
      stripping: pending.stripTabs,
      startsWithDelimiter: false,
      oddBackslash: false,
      matchedBeforeBackslash: 0,
      strippingBeforeBackslash: false,
    });
  }

  /** One character for one frame; false when the character must go to the (new) top frame instead. */
  private step(frame: Frame, ch: string): boolean {
    switch (frame.kind) {
      case 'cmd':
        return this.stepCmd(frame, ch);
      case 'double':
        return this.stepDouble(frame, ch);
      case 'single':
        if (ch === "'") this.popTo(this.stack.length - 1);
        return true;
      case 'ansi':
        if (frame.escape) frame.escape = false;
        else if (ch === '\\') frame.escape = true;
        else if (ch === "'") this.popTo(this.stack.length - 1);
        return true;
      case 'param':
        return this.stepParam(frame, ch);
      case 'arith':
        return this.stepArith(frame, ch);
      case 'heredoc':
        return this.stepHeredoc(frame, ch);
      case 'opaque':
        if (ch === '`') this.popTo(this.stack.length - 1);
        return true;
    }
  }

  /**
   * After a `$` inside quotes, a here-document or an arithmetic or parameter expansion:
   * 'consumed', 'redispatch' (a new frame takes the character) or 'next' (handle it normally).
   */
  private stepDollar(frame: { pend: CmdPend }, ch: string, quotesAfterDollar: boolean): 'consumed' | 'redispatch' | 'next' {
    if (frame.pend === '$') {
      frame.pend = '';
      if (ch === '(') {
        frame.pend = '$(';
        return 'consumed';
      }
      if (ch === '{') {
        this.push(this.paramFrame());
        return 'consumed';
      }
      if (quotesAfterDollar && ch === "'") {
        this.push({ kind: 'ansi', escape: false });
        return 'consumed';
      }
      if (quotesAfterDollar && ch === '"') {
        this.push({ kind: 'double', inQuotedParam: false, escape: false, pend: '' });
        return 'consumed';
      }
      return 'next';
    }
    if (frame.pend === '$(') {
      frame.pend = '';
      if (ch === '(') {
        this.push({ kind: 'arith', closer: '))', depth: 0, pendClose: false, escape: false, pend: '' });
        return 'consumed';
      }
      this.push(cmdFrame('paren'));
      return 'redispatch';
    }
    return 'next';
  }

  /** A `${` opened on the current top frame: inside double quotes (or a here-document) its word is quoted text. */
  private paramFrame(): ParamFrame {
    const top = this.top();
    const quoted = top.kind === 'double' ? 'double' : top.kind === 'heredoc' ? 'heredoc' : top.kind === 'param' ? top.quoted : 'none';
    return { kind: 'param', quoted, phase: 'name', nameLength: 0, op: 'none', escape: false, pend: '' };
  }

  private stepCmd(frame: CmdFrame, ch: string): boolean {
    if (frame.comment) {
      if (ch === '\n') {
        frame.comment = false;
        this.newline(frame);
      }
      return true;
    }
    if (frame.heredocWord && this.stepHeredocWord(frame, frame.heredocWord, ch)) return true;
    if (frame.escape) {
      frame.escape = false;
      if (ch !== '\n') this.wordChar(frame, '');
      return true;
    }
    if (frame.pend === '$' || frame.pend === '$(') {
      const outcome = this.stepDollar(frame, ch, true);
      if (outcome === 'consumed') return true;
      if (outcome === 'redispatch') return false;
    } else if (frame.pend !== '') {
      const pend = frame.pend;
      frame.pend = '';
      switch (pend) {
        case '<':
          if (ch === '<') {
            frame.pend = '<<';
            return true;
          }
          if (ch === '(') {
            this.push(cmdFrame('paren'));
            return true;
          }
          break;
        case '<<':
          if (ch === '<') return true;
          frame.heredocWord = { stripTabs: ch === '-', started: false, text: '', quoted: false, quote: '', escape: false, unknown: false };
          return ch === '-';
        case '>':
          if (ch === '(') {
            this.push(cmdFrame('paren'));
            return true;
          }
          break;
        case '(':
          if (ch === '(') {
            // Bash's `(( ))` arithmetic command; in dash two subshells, where a number is as harmless.
            this.push({ kind: 'arith', closer: '))', depth: 0, pendClose: false, escape: false, pend: '' });
            return true;
          }
          frame.depth += 1;
          break;
      }
    }
    switch (ch) {
      case '\\':
        frame.escape = true;
        return true;
      case "'":
        this.wordChar(frame, '');
        this.push({ kind: 'single' });
        return true;
      case '"':
        this.wordChar(frame, '');
        this.push({ kind: 'double', inQuotedParam: false, escape: false, pend: '' });
        return true;
      case '`':
        this.wordChar(frame, '');
        this.pushBacktick();
        return true;
      case '$':
        this.wordChar(frame, '');
        frame.pend = '$';
        return true;
      case '#':
        if (frame.wordStart) frame.comment = true;
        else this.wordChar(frame, ch);
        return true;
      case ' ':
      case '\t':
        this.endWord(frame);
        return true;
      case '\n':
        this.endWord(frame);
        this.newline(frame);
        return true;
      case ';':
      case '&':
      case '|':
        this.endWord(frame);
        frame.cmdStart = true;
        return true;
      case '<':
      case '>':
        this.endWord(frame);
        frame.cmdStart = false;
        frame.pend = ch;
        return true;
      case '(':
        this.endWord(frame);
        if (frame.cmdStart) frame.pend = '(';
        else frame.depth += 1;
        frame.cmdStart = true;
        return true;
      case ')':
        this.endWord(frame);
        if (frame.depth > 0) frame.depth -= 1;
        else if (frame.caseDepth === 0 && frame.closer === 'paren') {
          this.popTo(this.stack.length - 1);
          return true;
        }
        frame.cmdStart = true;
        return true;
      default:
        this.wordChar(frame, ch);
        return true;
    }
  }

  /** Reads the word after `<<`; true while the character belongs to it. */
  private stepHeredocWord(frame: CmdFrame, word: HeredocWord, ch: string): boolean {
    if (!word.started) {
      if (isBlank(ch)) return true;
      if (ch === '\n' || isOperatorChar(ch)) {
        frame.heredocWord = null;
        return false;
      }
      word.started = true;
    }
    if (word.escape) {
      word.escape = false;
      if (word.quote === '"' && ch !== '$' && ch !== '`' && ch !== '"' && ch !== '\\' && ch !== '\n') word.text += '\\';
      if (ch !== '\n') word.text += ch;
      return true;
    }
    if (word.quote !== '') {
      if (ch === word.quote) word.quote = '';
      else if (word.quote === '"' && ch === '\\') word.escape = true;
      else word.text += ch;
      return true;
    }
    if (ch === "'" || ch === '"') {
      word.quoted = true;
      word.quote = ch;
      return true;
    }
    if (ch === '\\') {
      word.quoted = true;
      word.escape = true;
      return true;
    }
    if (isBlank(ch) || ch === '\n' || isOperatorChar(ch)) {
      this.pendingHeredocs.push({ delimiter: word.unknown ? null : word.text, stripTabs: word.stripTabs, quoted: word.quoted });
      frame.heredocWord = null;
      return false;
    }
    word.text += ch;
    return true;
  }

  private wordChar(frame: CmdFrame, ch: string): void {
    if (frame.wordStart) {
      frame.wordStart = false;
      frame.wordCmdStart = frame.cmdStart;
      frame.cmdStart = false;
      frame.word = '';
      frame.wordPlain = true;
    }
    if (frame.wordPlain && /^[a-z]$/u.test(ch) && frame.word.length < 8) frame.word += ch;
    else frame.wordPlain = false;
  }

  private endWord(frame: CmdFrame): void {
    if (!frame.wordStart && frame.wordPlain && frame.wordCmdStart) {
      if (frame.word === 'case') frame.caseDepth += 1;
      else if (frame.word === 'esac') frame.caseDepth = Math.max(0, frame.caseDepth - 1);
      else if (KEYWORDS_BEFORE_COMMAND.has(frame.word)) frame.cmdStart = true;
    }
    frame.wordStart = true;
  }

  private newline(frame: CmdFrame): void {
    frame.wordStart = true;
    frame.cmdStart = true;
    const next = this.pendingHeredocs.shift();
    if (next) this.pushHeredoc(next);
  }

  private stepDouble(frame: DoubleFrame, ch: string): boolean {
    if (frame.escape) {
      frame.escape = false;
      return true;
    }
    const outcome = this.stepDollar(frame, ch, false);
    if (outcome === 'consumed') return true;
    if (outcome === 'redispatch') return false;
    if (ch === '"') this.popTo(this.stack.length - 1);
    else if (ch === '\\') frame.escape = true;
    else if (ch === '$') frame.pend = '$';
    else if (ch === '`') this.pushBacktick();
    return true;
  }

  private stepParam(frame: ParamFrame, ch: string): boolean {
    if (frame.escape) {
      frame.escape = false;
      frame.phase = 'word';
      return true;
    }
    const outcome = this.stepDollar(frame, ch, frame.quoted === 'none');
    if (outcome === 'consumed') return true;
    if (outcome === 'redispatch') return false;
    if (frame.phase === 'name') {
      if (/^[A-Za-z0-9_]$/u.test(ch) || (frame.nameLength === 0 && '#!@*?$-'.includes(ch))) {
        frame.nameLength += 1;
        return true;
      }
      frame.phase = 'op';
    }
    if (frame.phase === 'op' || frame.phase === 'op-colon') {
      if (ch === '}') {
        this.popTo(this.stack.length - 1);
        return true;
      }
      if (frame.phase === 'op' && ch === '[' && frame.nameLength > 0) {
        this.push({ kind: 'arith', closer: ']', depth: 0, pendClose: false, escape: false, pend: '' });
        return true;
      }
      const colon = frame.phase === 'op-colon';
      frame.phase = 'word';
      if (!colon && ch === ':') {
        frame.phase = 'op-colon';
        return true;
      }
      if ('-=?+'.includes(ch)) {
        frame.op = 'word';
        return true;
      }
      if (colon) frame.op = 'arith';
      else if ('#%^,'.includes(ch)) {
        frame.op = 'pattern';
        return true;
      } else {
        frame.op = 'other';
        if (ch === '/' || ch === '@') return true;
      }
    }
    switch (ch) {
      case '}':
        this.popTo(this.stack.length - 1);
        break;
      case '"':
        this.push({ kind: 'double', inQuotedParam: frame.quoted === 'double', escape: false, pend: '' });
        break;
      case "'":
        // In a quoted `${x:-word}` a quote is a character; in a pattern it quotes (dash and bash agree).
        if (frame.quoted === 'none' || frame.op !== 'word') this.push({ kind: 'single' });
        break;
      case '\\':
        frame.escape = true;
        break;
      case '$':
        frame.pend = '$';
        break;
      case '`':
        this.pushBacktick();
        break;
    }
    return true;
  }

  private stepArith(frame: ArithFrame, ch: string): boolean {
    if (frame.escape) {
      frame.escape = false;
      return true;
    }
    const outcome = this.stepDollar(frame, ch, false);
    if (outcome === 'consumed') return true;
    if (outcome === 'redispatch') return false;
    if (frame.pendClose) {
      frame.pendClose = false;
      if (ch === ')') {
        this.popTo(this.stack.length - 1);
        return true;
      }
    }
    switch (ch) {
      case '(':
      case '[':
        frame.depth += 1;
        break;
      case ')':
      case ']':
        if (frame.depth > 0) frame.depth -= 1;
        else if (ch === ']' && frame.closer === ']') this.popTo(this.stack.length - 1);
        else if (ch === ')' && frame.closer === '))') frame.pendClose = true;
        break;
      case '"':
        this.push({ kind: 'double', inQuotedParam: false, escape: false, pend: '' });
        break;
      case "'":
        this.push({ kind: 'single' });
        break;
      case '\\':
        frame.escape = true;
        break;
      case '$':
        frame.pend = '$';
        break;
      case '`':
        this.pushBacktick();
        break;
    }
    return true;
  }

  private stepHeredoc(frame: HeredocFrame, ch: string): boolean {
    if (frame.quoted) return true;
    if (frame.escape) {
      frame.escape = false;
      return true;
    }
    const outcome = this.stepDollar(frame, ch, false);
    if (outcome === 'consumed') return true;
    if (outcome === 'redispatch') return false;
    if (ch === '\\') frame.escape = true;
    else if (ch === '$') frame.pend = '$';
    else if (ch === '`') this.pushBacktick();
    return true;
  }
}

/** Where a slot inside `${...}` lands, or why it cannot. */
function paramSlot(frame: ParamFrame): [ShellQuoting, string | null] {
  if (frame.phase === 'name') return ['bare', REASONS.paramName];
  if (frame.phase !== 'word') return ['bare', REASONS.paramOperator];
  if (frame.op === 'arith') return ['arithmetic', null];
  if (frame.quoted === 'none') return ['bare', null];
  if (frame.op === 'word') return ['param-double', null];
  if (frame.op === 'pattern') return ['param-pattern', null];
  return ['bare', REASONS.paramOperatorQuoted];
}

/**
 * The context of every slot in a sequence of literal text and slots, indexed by slot number.
 * A raw slot is scanned as an unknown word character (its text is not known yet); its entry is
 * what the scan saw there, for messages.
 */
export function shellContexts(pieces: readonly ScanPiece[]): ShellContext[] {
  const scanner = new ShellScanner();
  const contexts: ShellContext[] = [];
  // The first literal character after each slot (across adjacent slots), for `{{ n }}>file`.
  const nextChar: string[] = [];
  let following = '';
  for (let index = pieces.length - 1; index >= 0; index -= 1) {
    const piece = pieces[index] as ScanPiece;
    if (typeof piece === 'string') {
      if (piece.length > 0) following = piece[0] as string;
    } else nextChar[piece.slot] = following;
  }
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      scanner.text(piece);
      continue;
    }
    const context = scanner.slot();
    if (context.kind === 'bare') {
      const next = nextChar[piece.slot] ?? '';
      context.beforeRedirect = next === '<' || next === '>';
    }
    contexts[piece.slot] = context;
  }
  return contexts;
}

/** Splits a shell template, reads each slot's source and decides where each value lands. */
export function planShellTemplate(template: string, file: string): ShellPlan {
  const { parts, sources, problems, lines } = readSlots(template, file);
  const raws = sources.map((source) => source.raw);
  const contexts = shellContexts(scanPieces(parts, raws));
  let seenRaw = false;
  const slots = sources.map((source, index): PlannedShellSlot => {
    const context = contexts[index] ?? { kind: 'refused', reason: 'this `{{ }}` could not be placed' };
    if (context.kind === 'refused' && !source.raw) problems.push(problemAt(lines, source.slot.start, context.reason, seenRaw));
    if (source.raw) seenRaw = true;
    return { slot: source.slot, raw: source.raw, shq: source.shq, code: source.code, context };
  });
  problems.sort((a, b) => a.offset - b.offset);
  return { template, file, parts, slots, problems };
}

/**
 * Whether a `script:` interpreter reads its script as a POSIX shell does, so the script's
 * slots can be escaped for the shell: sh, bash, dash, ash, ksh, mksh and zsh, by path or
 * through `env`, with or without options (`bash -e`, `/usr/bin/env bash`, `busybox sh`).
 */
export function isPosixShellInterpreter(command: string): boolean {
  const words = command.trim().split(/\s+/u);
  let index = 0;
  const base = (word: string | undefined): string => (word ?? '').slice((word ?? '').lastIndexOf('/') + 1);
  if (base(words[index]) === 'env') {
    index += 1;
    while (words[index]?.startsWith('-') || words[index]?.includes('=')) index += 1;
  }
  if (base(words[index]) === 'busybox') index += 1;
  return ['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh'].includes(base(words[index]));
}
