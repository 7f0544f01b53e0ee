// Python literals as `ast.literal_eval` reads them, which is how ansible-core's INI inventory
// types every value (`[group]` host lines and `[group:vars]` lines alike): numbers, strings,
// True/False/None, lists, tuples and dicts become JSON values; anything else (a bare word, an
// expression, `false`, `yes`) is not a literal and stays the text it was.
import type { JsonObject, JsonValue } from '../../src-shared/domain/inventory';

/**
 * `value`: a literal with a JSON form. `text`: not a Python literal (Ansible keeps the text).
 * `refused`: a literal Ansible reads but cannot report either (`ansible-inventory` fails on a set,
 * a complex number, `...` or a list as a dict key), said in words.
 */
export type LiteralResult = { kind: 'value'; value: JsonValue } | { kind: 'text' } | { kind: 'refused'; message: string };

/** Brackets nested deeper than this are a syntax error to Python's tokenizer. */
const MAX_PY_NESTING = 200;

type Node =
  | { t: 'int'; big: bigint }
  | { t: 'float'; n: number }
  | { t: 'complex' }
  | { t: 'str'; s: string }
  | { t: 'bytes'; s: string }
  | { t: 'const'; v: boolean | null }
  | { t: 'ellipsis' }
  | { t: 'list'; items: Node[] }
  | { t: 'set'; items: Node[] }
  | { t: 'dict'; keys: Node[]; values: Node[] };

type Tok =
  | { k: 'num'; text: string }
  | { k: 'str'; bytes: boolean; s: string }
  | { k: 'name'; text: string }
  | { k: 'op'; text: string }
  | { k: 'end' };

/** Thrown inside the reader for "not a literal": the caller turns it into `text`. */
class NotLiteral extends Error {}
const notLiteral = (): never => {
  throw new NotLiteral();
};

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const POINT_FLOAT = String.raw`(?:(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.)`;
const EXPONENT = String.raw`[eE][-+]?${DIGITS}`;
const NUMBER = new RegExp(
  String.raw`^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|` +
    String.raw`(?:${POINT_FLOAT}(?:${EXPONENT})?|${DIGITS}${EXPONENT}|${DIGITS})[jJ]?)`,
);
const DECIMAL_INT = /^(?:[1-9](?:_?[0-9])*|0(?:_?0)*)$/;
const NAME_CHAR = /[\p{L}\p{N}_]/u;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
const OPS = ['...', '**', '//', '==', '!=', '<=', '>=', '->', ':=', '<<', '>>'];
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Reads the body of a string literal starting at `i` (just past the prefix) in `src`. */
function readString(src: string, i: number, prefix: string): { end: number; tok: Tok } {
  const p = prefix.toLowerCase();
  // An f-string is an expression to literal_eval, not a constant.
  if (p.includes('f')) notLiteral();
  const raw = p.includes('r');
  const bytes = p.includes('b');
  const q = src[i] as string;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  let out = '';
  for (;;) {
    if (j >= src.length) notLiteral();
    if (src.startsWith(close, j)) break;
    const c = src[j] as string;
    if (bytes && c.charCodeAt(0) > 0x7f) notLiteral();
    if (c !== '\\') {
      out += c;
      j++;
      continue;
    }
    const n = src[j + 1];
    if (n === undefined) notLiteral();
    if (raw) {
      // A raw string keeps the backslash; it still stops the next quote from closing it.
      out += c + n;
      j += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[n as string];
    if (simple !== undefined) {
      out += simple;
      j += 2;
    } else if (/[0-7]/.test(n as string)) {
      const m = /^[0-7]{1,3}/.exec(src.slice(j + 1)) as RegExpExecArray;
      out += String.fromCodePoint(parseInt(m[0], 8));
      j += 1 + m[0].length;
    } else if (n === 'x' || (!bytes && (n === 'u' || n === 'U'))) {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = src.slice(j + 2, j + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) notLiteral();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) notLiteral();
      out += String.fromCodePoint(cp);
      j += 2 + len;
    } else if (n === 'N' && !bytes) {
      throw new UnsupportedEscape();
    } else {
      // Python keeps an unknown escape as written (and only warns).
      out += c + n;
      j += 2;
    }
  }
  return { end: j + close.length, tok: { k: 'str', bytes, s: out } };
}

/** `\N{NAME}` needs Unicode's name table, which Flowdeck does not carry. */
class UnsupportedEscape extends Error {}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const r = readString(src, i, '');
      toks.push(r.tok);
      i = r.end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = NUMBER.exec(src.slice(i));
      if (!m) notLiteral();
      const text = (m as RegExpExecArray)[0];
      i += text.length;
      // `1abc`, `007` or `1__0`: Python's tokenizer refuses them.
      if (i < src.length && (NAME_CHAR.test(src[i] as string) || src[i] === '.')) notLiteral();
      if (/^[0-9_]+$/.test(text) && !DECIMAL_INT.test(text)) notLiteral();
      toks.push({ k: 'num', text });
      continue;
    }
    if (NAME_CHAR.test(c)) {
      let j = i;
      while (j < src.length && NAME_CHAR.test(src[j] as string)) j++;
      const name = src.slice(i, j);
      if ((src[j] === '"' || src[j] === "'") && STRING_PREFIX.test(name)) {
        const r = readString(src, j, name);
        toks.push(r.tok);
        i = r.end;
        continue;
      }
      toks.push({ k: 'name', text: name });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i)) ?? c;
    toks.push({ k: 'op', text: op });
    i += op.length;
  }
  toks.push({ k: 'end' });
  return toks;
}

function numberNode(text: string): Node {
  const t = text.replaceAll('_', '');
  if (/[jJ]$/.test(t)) return { t: 'complex' };
  const radix = /^0([xXoObB])(.*)$/.exec(t);
  if (radix) {
    const base = { x: '0x', o: '0o', b: '0b' }[(radix[1] as string).toLowerCase() as 'x' | 'o' | 'b'];
    return { t: 'int', big: BigInt(base + (radix[2] as string)) };
  }
  if (DECIMAL_INT.test(text)) return { t: 'int', big: BigInt(t) };
  return { t: 'float', n: Number(t) };
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.pos] as Tok;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.text === text;
  }
  private expectOp(text: string): void {
    if (!this.isOp(text)) notLiteral();
    this.pos++;
  }

  /** The whole input: one expression, or several separated by commas (a tuple). */
  top(): Node {
    const first = this.expr(0);
    let node = first;
    if (this.isOp(',')) {
      const items = [first];
      while (this.isOp(',')) {
        this.pos++;
        if (this.peek().k === 'end') break;
        items.push(this.expr(0));
      }
      node = { t: 'list', items };
    }
    if (this.peek().k !== 'end') notLiteral();
    return node;
  }

  /** A literal_eval operand: a constant, a signed number, `num +/- complex`, or a display. */
  private expr(depth: number): Node {
    const left = this.signed(depth);
    if (this.isOp('+') || this.isOp('-')) {
      // Only `real +/- imaginary` is a literal (a complex number); `1+2` is an expression.
      this.pos++;
      const right = this.atom(depth);
      if (right.t === 'complex' && (left.t === 'int' || left.t === 'float' || left.t === 'complex')) return { t: 'complex' };
      notLiteral();
    }
    return left;
  }

  private signed(depth: number): Node {
    if (this.isOp('+') || this.isOp('-')) {
      const minus = this.isOp('-');
      this.pos++;
      const n = this.atom(depth);
      // One sign on a number; `--3` and `-True` are not literals.
      if (n.t === 'int') return minus ? { t: 'int', big: -n.big } : n;
      if (n.t === 'float') return minus ? { t: 'float', n: -n.n } : n;
      if (n.t === 'complex') return n;
      notLiteral();
    }
    return this.atom(depth);
  }

  private atom(depth: number): Node {
    if (depth > MAX_PY_NESTING) notLiteral();
    const t = this.peek();
    this.pos++;
    switch (t.k) {
      case 'num':
        return numberNode(t.text);
      case 'str': {
        // Adjacent literals join; str next to bytes is a syntax error.
        let s = t.s;
        for (let n = this.peek(); n.k === 'str'; n = this.peek()) {
          if (n.bytes !== t.bytes) notLiteral();
          s += n.s;
          this.pos++;
        }
        return t.bytes ? { t: 'bytes', s } : { t: 'str', s };
      }
      case 'name':
        if (t.text === 'True') return { t: 'const', v: true };
        if (t.text === 'False') return { t: 'const', v: false };
        if (t.text === 'None') return { t: 'const', v: null };
        if (t.text === 'set' && this.isOp('(')) {
          this.pos++;
          this.expectOp(')');
          return { t: 'set', items: [] };
        }
        return notLiteral();
      case 'op':
        if (t.text === '...') return { t: 'ellipsis' };
        if (t.text === '(') return this.paren(depth + 1);
        if (t.text === '[') return { t: 'list', items: this.items(']', depth + 1) };
        if (t.text === '{') return this.brace(depth + 1);
        return notLiteral();
      case 'end':
        return notLiteral();
    }
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples, reported as lists. */
  private paren(depth: number): Node {
    if (this.isOp(')')) {
      this.pos++;
      return { t: 'list', items: [] };
    }
    const first = this.expr(depth);
    if (this.isOp(')')) {
      this.pos++;
      return first;
    }
    this.expectOp(',');
    const items = [first];
    while (!this.isOp(')')) {
      items.push(this.expr(depth));
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.pos++;
    return { t: 'list', items };
  }

  private items(close: string, depth: number): Node[] {
    const items: Node[] = [];
    while (!this.isOp(close)) {
      items.push(this.expr(depth));
      if (!this.isOp(close)) this.expectOp(',');
    }
    this.pos++;
    return items;
  }

  private brace(depth: number): Node {
    if (this.isOp('}')) {
      this.pos++;
      return { t: 'dict', keys: [], values: [] };
    }
    const first = this.expr(depth);
    if (!this.isOp(':')) {
      const items = [first];
      if (!this.isOp('}')) {
        this.expectOp(',');
        items.push(...this.items('}', depth));
      } else this.pos++;
      return { t: 'set', items };
    }
    const keys: Node[] = [];
    const values: Node[] = [];
    let key = first;
    for (;;) {
      this.expectOp(':');
      keys.push(key);
      values.push(this.expr(depth));
      if (this.isOp('}')) break;
      this.expectOp(',');
      if (this.isOp('}')) break;
      key = this.expr(depth);
    }
    this.pos++;
    return { t: 'dict', keys, values };
  }
}

/**
 * Python's repr of a float, which is what json.dumps writes for a float dict key:
 * `1.0`, `0.0001`, `1e-05`, `1e+16`, `inf`.
 */
export function pythonFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const sign = n < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = exp + 1;
  let fixed: string;
  if (point <= 0) fixed = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) fixed = `${digits}${'0'.repeat(point - digits.length)}.0`;
  else fixed = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + fixed;
}

/** A big integer or an overflowing float: Python holds it, a JSON number here would not. */
class NoExactNumber extends Error {}

function toJson(node: Node, top: boolean): JsonValue {
  switch (node.t) {
    case 'int': {
      const n = Number(node.big);
      if (!Number.isSafeInteger(n)) throw new NoExactNumber();
      return n;
    }
    case 'float':
      if (!Number.isFinite(node.n)) throw new NoExactNumber();
      return node.n;
    case 'str':
      return node.s;
    case 'bytes':
      // Ansible turns a bytes value into text; inside a list its JSON output would fail.
      if (!top) throw new Refused('a bytes value (b\'...\') inside a list or dict has no JSON form; write it as a string');
      return Buffer.from(node.s, 'latin1').toString('utf8');
    case 'const':
      return node.v;
    case 'complex':
      throw new Refused('a complex number (such as 2j) has no JSON form');
    case 'ellipsis':
      throw new Refused('"..." (Ellipsis) has no JSON form');
    case 'set':
      throw new Refused('a set ({1, 2}) has no JSON form; write a list ([1, 2]) or a dict ({"a": 1})');
    case 'list':
      return node.items.map((x) => toJson(x, false));
    case 'dict': {
      // Python's dict keeps the first of equal keys (True == 1 == 1.0) with the last value.
      const names = new Map<string, string>();
      const out: JsonObject = {};
      node.keys.forEach((k, i) => {
        const identity = keyIdentity(k);
        const name = names.get(identity) ?? dictKey(k);
        names.set(identity, name);
        out[name] = toJson(node.values[i] as Node, false);
      });
      return out;
    }
  }
}

class Refused extends Error {}

/** Which keys Python counts as the same: numbers by value (True is 1), strings by text. */
function keyIdentity(k: Node): string {
  if (k.t === 'int') return `n:${k.big.toString()}`;
  if (k.t === 'float') return Number.isInteger(k.n) ? `n:${BigInt(k.n).toString()}` : `f:${k.n}`;
  if (k.t === 'const') return k.v === null ? 'none' : `n:${k.v ? 1 : 0}`;
  if (k.t === 'str') return `s:${k.s}`;
  return `?:${dictKey(k)}`;
}

/** A dict key the way json.dumps writes it: str as is, numbers, true, false and null as text. */
function dictKey(k: Node): string {
  switch (k.t) {
    case 'str':
      return k.s;
    case 'int':
      return k.big.toString();
    case 'float':
      return pythonFloatRepr(k.n);
    case 'const':
      return k.v === null ? 'null' : String(k.v);
    case 'list':
    case 'dict':
    case 'set':
      throw new Refused('a list, tuple or dict cannot be a dict key');
    default:
      throw new Refused(`a dict key must be a string, a number, True, False or None`);
  }
}

/** `src` read as `ast.literal_eval(src)` reads it, after its leading spaces and tabs. */
export function evalPythonLiteral(src: string): LiteralResult {
  let node: Node;
  try {
    node = new Parser(tokenize(src.replace(/^[ \t]+/, ''))).top();
  } catch (e) {
    if (e instanceof NotLiteral) return { kind: 'text' };
    if (e instanceof UnsupportedEscape) return { kind: 'refused', message: 'a \\N{...} escape names a character Flowdeck cannot look up; write the character itself' };
    throw e;
  }
  try {
    return { kind: 'value', value: toJson(node, true) };
  } catch (e) {
    if (e instanceof NoExactNumber) return { kind: 'text' };
    if (e instanceof Refused) return { kind: 'refused', message: e.message };
    throw e;
  }
}
