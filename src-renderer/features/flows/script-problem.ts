import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { ProblemAt } from '../../../src-shared/ipc/contract';
import { yamlTextProblem } from '../../../src-shared/yaml-limits';

/**
 * Main reports a script's error at its place in the YAML text (src-main/ipc/handlers/
 * script-location.ts). An editor showing only the script (the processing editor, the targets
 * expression field) needs the inverse: that place as a line and column of the script itself.
 */

/** Leading spaces of the first non-blank line after `headerLine` (1-based): the block's indentation. */
function blockIndent(lines: readonly string[], headerLine: number): number {
  for (let i = headerLine; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() !== '') return text.length - text.trimStart().length;
  }
  return 0;
}

/**
 * The script's own `name:line:column: ` that main puts before the message says again what the
 * script editor shows by the line; dropped when it names the very line the problem is placed at.
 */
function withoutOwnPlace(message: string, line: number): string {
  const m = /^\S+:(\d+):\d+: /.exec(message);
  return m && Number(m[1]) === line ? message.slice(m[0].length) : message;
}

/**
 * The problem moved into the script held at `path` (e.g. ['processing']), or null when it is not
 * inside that script (another field's problem, a problem with no line, a path the text lacks).
 */
export function scriptProblemOf(source: string, path: readonly string[], problem: ProblemAt | null): ProblemAt | null {
  if (!problem || problem.line === undefined) return null;
  // A text past the YAML limits is never handed to the parser (its problem is the limit itself).
  if (yamlTextProblem(source)) return null;
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc });
  if (doc.errors.length > 0) return null;
  const node: unknown = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return null;
  const start = lc.linePos(node.range[0]);
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  if (node.type === 'BLOCK_LITERAL') {
    // The header (`processing: |`) is on the node's first line; the script's line 1 follows it.
    const line = problem.line - start.line;
    const scriptLines = value.replace(/\n+$/, '').split('\n').length;
    if (line < 1 || line > scriptLines) return null;
    const indent = blockIndent(source.split(/\r?\n/), start.line);
    const column = problem.column === undefined ? undefined : Math.max(1, problem.column - indent);
    return { ...problem, message: withoutOwnPlace(problem.message, line), line, column };
  }
  if (problem.line !== start.line) return null;
  if (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    const quote = node.type === 'PLAIN' ? 0 : 1;
    const column = problem.column === undefined ? undefined : Math.max(1, problem.column - start.col - quote + 1);
    return { ...problem, message: withoutOwnPlace(problem.message, 1), line: 1, column };
  }
  return { ...problem, line: 1, column: undefined };
}
