// Turns YAML parse errors and zod issues into FlowdeckErrors that point at a file:line:column.
// Shared by every YAML reader (inventories, flows): the operator always gets the place in the
// file they wrote, never a path into a parsed object they never saw.
import { isMap, isNode, isScalar, isSeq, type LineCounter, type Node, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { FlowdeckError, type ErrorLocation } from '../../src-shared/errors';

/** A path into a YAML document, as zod reports it (`['elements', 2, 'port']`). */
export type YamlPath = ReadonlyArray<PropertyKey>;

/** The part of a yaml `Document` these helpers read; any parsed document fits. */
export interface YamlDocumentLike {
  readonly contents: unknown;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * The node to point at for `path`: for a mapping entry its key (where the line that sets it
 * starts: `port: 99999` is reported at `port`), for a list item the item. When part of the
 * path is missing (a required key left out), the deepest node that exists: the mapping the
 * key belongs in.
 */
function yamlNodeAt(doc: YamlDocumentLike, path: YamlPath): Node | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      if (isNode(pair.key)) best = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (!isNode(item)) break;
      node = item;
      best = item;
    } else {
      break;
    }
  }
  return best;
}

/** `{ file, line, column }` (1-based) of the node at `path` (see yamlNodeAt); just `{ file }` for an empty document. */
export function yamlPathLocation(doc: YamlDocumentLike, lc: LineCounter, path: YamlPath, file: string): ErrorLocation {
  const node = yamlNodeAt(doc, path);
  const offset = node?.range?.[0];
  if (offset === undefined) return { file };
  const pos = lc.linePos(offset);
  return { file, line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
}

/**
 * A YAML syntax error as `invalid-yaml` with its position. The LineCounter must be the one
 * given to this parse only: a reused one keeps counting lines from the earlier text.
 */
export function yamlSyntaxError(err: YAMLError, lc: LineCounter, file: string): FlowdeckError {
  const pos = lc.linePos(err.pos[0]);
  // With prettyErrors the message carries " at line L, column C:" and a code excerpt; the
  // location already says where, so keep only the sentence.
  const firstLine = err.message.split('\n')[0] ?? err.message;
  const message = firstLine.replace(/ at line \d+, column \d+:?\s*$/, '').trim();
  return new FlowdeckError('invalid-yaml', message, { file, line: Math.max(1, pos.line), column: Math.max(1, pos.col) });
}

/** `elements[2].port`, the way the operator would point at it in the file. */
export function formatYamlPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** A zod issue in words an operator reads (`must be at most 65535`), without the path. */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === 'undefined') return 'is required';
      if (issue.expected === 'int' && received === 'number') return 'must be a whole number';
      const want = typeNames[issue.expected] ?? issue.expected;
      if (!received) return `must be ${want}`;
      return `must be ${want}, not ${received === 'null' ? 'empty' : (typeNames[received] ?? received)}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      const bound = issue.inclusive === false ? `less than ${max}` : `at most ${max}`;
      if (issue.origin === 'string') return `must be ${bound} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} items`;
      return `must be ${bound}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string' && issue.minimum === 1 && issue.inclusive !== false) return 'must not be empty';
      const bound = issue.inclusive === false ? `more than ${min}` : `at least ${min}`;
      if (issue.origin === 'string') return `must be ${bound} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} items`;
      return `must be ${bound}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * A zod issue as `FlowdeckError('invalid-input', 'elements[2].port: must be at most 65535')`
 * located at the offending YAML node. `basePath` prefixes the issue path when the schema was
 * applied to a part of the document (a step inside `steps`). Unknown keys point at the first one.
 */
function zodIssueToError(
  issue: z.core.$ZodIssue,
  doc: YamlDocumentLike,
  lc: LineCounter,
  file: string,
  basePath: YamlPath = [],
): FlowdeckError {
  const path = [...basePath, ...issue.path];
  const where = formatYamlPath(path);
  const text = describeZodIssue(issue);
  const firstKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const location = yamlPathLocation(doc, lc, firstKey !== undefined ? [...path, firstKey] : path, file);
  return new FlowdeckError('invalid-input', where ? `${where}: ${text}` : text, location);
}

/**
 * The issue that comes first in the file, so the operator fixes problems top to bottom
 * (zod reports them in schema order, not in reading order).
 */
export function firstZodIssueError(
  issues: readonly z.core.$ZodIssue[],
  doc: YamlDocumentLike,
  lc: LineCounter,
  file: string,
  basePath: YamlPath = [],
): FlowdeckError {
  let best: FlowdeckError | undefined;
  const rank = (e: FlowdeckError): number => (e.location?.line ?? Infinity) * 1e6 + (e.location?.column ?? 0);
  for (const issue of issues) {
    const err = zodIssueToError(issue, doc, lc, file, basePath);
    if (!best || rank(err) < rank(best)) best = err;
  }
  return best ?? new FlowdeckError('invalid-input', 'invalid document', { file });
}
