// Limits for YAML (and JSON, which is YAML) that comes from outside: an inventory, a flow file,
// the editor's text. The `yaml` package composes nested collections by recursion, so a document
// nested a few hundred levels deep exhausts the stack (or worse) before it reports anything; an
// alias bomb ("billion laughs") is small as text and huge once its aliases are copied where they
// are used; and its duplicate-key check costs the square of a mapping's size. These checks run
// first, in time linear in the text, and say what is wrong in one line with its place.
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, type Document, type Node } from 'yaml';
import type { ErrorCode } from './errors';

/** The largest inventory or flow file read, in bytes of UTF-8. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** Lists and mappings inside one another, flow (`[ {`) and block (indentation, `- `) alike. */
export const MAX_NESTING = 64;
/** Anchors (`&name`) and aliases (`*name`) in one text: the package resolves each alias by a scan over all of them. */
export const MAX_ANCHORS = 2_000;
export const MAX_ALIASES = 2_000;
/** Values that aliases may add to a document once each alias stands for a copy of what it names. */
export const MAX_ALIAS_EXPANSION = 100_000;

/**
 * What a limit refused, and where: a 0-based offset into the text when there is a place. The
 * code is `invalid-yaml` for the duplicate key, which the yaml package would report itself.
 */
export interface InputProblem {
  code: Extract<ErrorCode, 'invalid-input' | 'invalid-yaml'>;
  message: string;
  offset?: number;
}

/** The size limit as the messages say it. */
const MAX_INPUT_TEXT = `${MAX_INPUT_BYTES / (1024 * 1024)} MiB`;

/** UTF-8 length of `text`, counted only as far as needed to know it is over `limit`. */
export function utf8Length(text: string, limit = Infinity): number {
  // Each UTF-16 unit is 1 to 3 bytes of UTF-8 (a surrogate pair, two units, is 4), so a text
  // longer than the limit in units is longer in bytes too.
  if (text.length > limit) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
    if (n > limit) return n;
  }
  return n;
}

/** `bytes` over MAX_INPUT_BYTES, said the way an operator reads it. */
export function inputSizeProblem(bytes: number): InputProblem | null {
  if (bytes <= MAX_INPUT_BYTES) return null;
  return { code: 'invalid-input', message: `the file is larger than ${MAX_INPUT_TEXT}, the most Flowdeck reads as an inventory or flow file` };
}

// Tokens the lexer emits that stand for no text of the source (see yaml's CST docs).
const DOCUMENT = '\x02';
const SCALAR = '\x1f';
const FLOW_END = '\x18';

interface BlockLevel {
  column: number;
  kind: 'seq' | 'map';
}

interface FlowLevel {
  /** `[a: b]` holds a one-pair mapping inside the list: one level more while it lasts. */
  seq: boolean;
  pair: boolean;
}

/**
 * Size, nesting and anchor/alias counts of a YAML (or JSON) text, from the `yaml` lexer: a state
 * machine that walks the text once without recursion, and knows what is a bracket and what is
 * inside a quoted string, a block scalar or a comment. Null when the text is within the limits.
 *
 * Block nesting is followed by the columns where entries start (`- `, `? `, `key:`): a
 * collection inside another starts further right, or at the same column for a list that is the
 * value of a key. Flow nesting counts open brackets.
 */
export function yamlTextProblem(text: string): InputProblem | null {
  const size = inputSizeProblem(utf8Length(text, MAX_INPUT_BYTES));
  if (size) return size;

  const block: BlockLevel[] = [];
  const flow: FlowLevel[] = [];
  let flowPairs = 0;
  let anchors = 0;
  let aliases = 0;
  let pos = 0;
  let lineStart = 0;
  /** Column where the current entry's key began on this line (-1: none yet). */
  let keyColumn = -1;
  let scalarNext = false;

  const deeper = (offset: number): InputProblem | null =>
    block.length + flow.length + flowPairs > MAX_NESTING
      ? { code: 'invalid-input', message: `lists and mappings are nested deeper than ${MAX_NESTING} levels; Flowdeck reads at most ${MAX_NESTING}`, offset }
      : null;

  /** A block entry starting at `column`: leave the collections it is not inside, then enter its own. */
  const enter = (column: number, kind: BlockLevel['kind'], offset: number): InputProblem | null => {
    for (;;) {
      const top = block[block.length - 1];
      if (!top || top.column < column || (top.column === column && top.kind === 'map' && kind === 'seq')) break;
      block.pop();
    }
    block.push({ column, kind });
    return deeper(offset);
  };

  const content = (start: number): void => {
    if (keyColumn < 0) keyColumn = start - lineStart;
  };

  const afterText = (token: string, start: number): void => {
    const nl = token.lastIndexOf('\n');
    if (nl >= 0) {
      lineStart = start + nl + 1;
      keyColumn = -1;
    }
  };

  for (const token of new Lexer().lex(text)) {
    if (token === DOCUMENT) continue;
    if (token === SCALAR) {
      scalarNext = true;
      continue;
    }
    if (token === FLOW_END) {
      flow.length = 0;
      flowPairs = 0;
      continue;
    }
    const start = pos;
    pos += token.length;
    if (scalarNext) {
      scalarNext = false;
      content(start);
      afterText(token, start);
      continue;
    }
    let problem: InputProblem | null = null;
    switch (token) {
      case '':
        continue;
      case '\n':
      case '\r\n':
        lineStart = pos;
        keyColumn = -1;
        continue;
      case '---':
      case '...':
        block.length = 0;
        flow.length = 0;
        flowPairs = 0;
        keyColumn = -1;
        continue;
      case '[':
      case '{':
        content(start);
        flow.push({ seq: token === '[', pair: false });
        problem = deeper(start);
        break;
      case ']':
      case '}': {
        const closed = flow.pop();
        if (closed?.pair) flowPairs--;
        continue;
      }
      case ',': {
        const top = flow[flow.length - 1];
        if (top?.pair) {
          top.pair = false;
          flowPairs--;
        }
        continue;
      }
      case '-':
        if (flow.length === 0) problem = enter(start - lineStart, 'seq', start);
        keyColumn = -1;
        break;
      case '?':
      case ':': {
        const top = flow[flow.length - 1];
        if (top) {
          if (top.seq && !top.pair) {
            top.pair = true;
            flowPairs++;
            problem = deeper(start);
          }
        } else {
          const column = token === ':' && keyColumn >= 0 ? keyColumn : start - lineStart;
          problem = enter(column, 'map', lineStart + column);
          keyColumn = -1;
        }
        break;
      }
      default:
        switch (token[0]) {
          case ' ':
          case '\t':
          case '#':
          case '%':
          case '|':
          case '>':
            break;
          case '*':
            content(start);
            if (++aliases > MAX_ALIASES) problem = { code: 'invalid-input', message: `more than ${MAX_ALIASES} aliases (*name); Flowdeck reads at most ${MAX_ALIASES} in one file`, offset: start };
            break;
          case '&':
            content(start);
            if (++anchors > MAX_ANCHORS) problem = { code: 'invalid-input', message: `more than ${MAX_ANCHORS} anchors (&name); Flowdeck reads at most ${MAX_ANCHORS} in one file`, offset: start };
            break;
          default:
            // Quoted scalars, tags, and whatever the lexer makes of broken input.
            content(start);
            afterText(token, start);
        }
    }
    if (problem) return problem;
  }
  return null;
}

function isValueNode(v: unknown): v is Node {
  return isAlias(v) || isScalar(v) || isMap(v) || isSeq(v);
}

function isPlainKey(value: unknown): boolean {
  // `<<` merge keys are symbols and may repeat, as the `yaml` package allows them to.
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/**
 * What the text scan cannot see, checked on the parsed document in one pass without recursion:
 * a mapping key used twice (the package's own check compares each key with every earlier one;
 * parse with `uniqueKeys: false` and let this one say it), an alias inside the very node it names
 * (an endless value), and aliases that together stand for more than MAX_ALIAS_EXPANSION values
 * (an alias bomb). Aliases resolve as the package resolves them: to the last node before them
 * with that anchor.
 */
export function yamlDocumentProblem(doc: Pick<Document, 'contents'>): InputProblem | null {
  interface Frame {
    node: Node;
    /** Values in this node with its aliases expanded. */
    size: number;
    next: number;
    children: unknown[];
  }
  const anchored = new Map<string, { node: Node; size: number | undefined }>();
  let added = 0;
  const stack: Frame[] = [];

  const childrenOf = (node: Node): unknown[] => {
    if (isMap(node) || isSeq(node)) {
      const out: unknown[] = [];
      for (const item of node.items) {
        if (isPair(item)) out.push(item.key, item.value);
        else out.push(item);
      }
      return out;
    }
    return [];
  };

  const duplicateKey = (node: Node): InputProblem | null => {
    if (!isMap(node)) return null;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !isPlainKey(pair.key.value)) continue;
      const k = pair.key.value;
      if (seen.has(k)) return { code: 'invalid-yaml', message: 'Map keys must be unique', offset: pair.key.range?.[0] };
      seen.add(k);
    }
    return null;
  };

  const close = (node: Node, size: number): number => {
    if (node.anchor) {
      const entry = anchored.get(node.anchor);
      // A later node may have taken the name over inside this one; then that one stays.
      if (entry?.node === node) entry.size = size;
    }
    return size;
  };

  /** Starts `node`; returns its size right away when it has no children to walk. */
  const open = (node: Node): InputProblem | number | null => {
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      if (!target) return { code: 'invalid-input', message: `the alias *${node.source} names no anchor (&${node.source}) before it`, offset: node.range?.[0] };
      if (target.size === undefined) {
        return { code: 'invalid-input', message: `the alias *${node.source} is inside the node it names (&${node.source}), which makes an endless value`, offset: node.range?.[0] };
      }
      added += target.size - 1;
      if (added > MAX_ALIAS_EXPANSION) {
        return {
          code: 'invalid-input',
          message: `the aliases expand to more than ${MAX_ALIAS_EXPANSION} values (each *name is a copy of what it names); Flowdeck refuses such alias bombs`,
          offset: node.range?.[0],
        };
      }
      return target.size;
    }
    const dup = duplicateKey(node);
    if (dup) return dup;
    if (node.anchor) anchored.set(node.anchor, { node, size: undefined });
    const children = childrenOf(node);
    if (children.length === 0) return close(node, 1);
    stack.push({ node, size: 1, next: 0, children });
    return null;
  };

  const root = doc.contents;
  if (!isValueNode(root)) return null;
  const first = open(root);
  if (first !== null && typeof first === 'object') return first;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.next === top.children.length) {
      stack.pop();
      const size = close(top.node, top.size);
      const parent = stack[stack.length - 1];
      if (parent) parent.size += size;
      continue;
    }
    const child = top.children[top.next++];
    if (!isValueNode(child)) continue;
    const r = open(child);
    if (typeof r === 'number') top.size += r;
    else if (r) return r;
  }
  return null;
}

/** 1-based line and column of a 0-based offset into `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(0, offset), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
