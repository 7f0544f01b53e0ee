import { isScalar, LineCounter, parseAllDocuments, type Scalar } from 'yaml';
import type { YamlPath } from '../inventory';

export interface SourcePosition {
  line: number;
  column?: number;
}

/** Leading spaces of the first non-blank line after `headerLine` (1-based): a block scalar's indentation. */
function blockIndent(lines: readonly string[], headerLine: number): number {
  for (let i = headerLine; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() !== '') return text.length - text.trimStart().length;
  }
  return 0;
}

function scalarPosition(node: Scalar, lc: LineCounter, lines: readonly string[], line: number | undefined, column: number | undefined): SourcePosition | undefined {
  const offset = node.range?.[0];
  if (offset === undefined) return undefined;
  const start = lc.linePos(offset);
  const at: SourcePosition = { line: start.line, column: start.col };
  if (line === undefined) return at;
  if (node.type === 'BLOCK_LITERAL') {
    // `processing: |` : the script's line 1 is the line after the header, indented as a block.
    return { line: start.line + line, column: (column ?? 1) + blockIndent(lines, start.line) };
  }
  const endOffset = node.range?.[1];
  const oneLine = endOffset !== undefined && lc.linePos(endOffset).line === start.line;
  if (line === 1 && oneLine && (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
    const quote = node.type === 'PLAIN' ? 0 : 1;
    return { line: start.line, column: start.col + quote + (column ?? 1) - 1 };
  }
  // Folded or multi-line quoted text: its lines do not map one to one; point at the field.
  return at;
}

/**
 * Where a position inside a script held by a YAML field (a flow's `processing`, its
 * `targets.expression`) is in the YAML text itself, so the editor can mark the very character.
 * `line`/`column` are the script's own (1-based); undefined ones point at the field.
 */
export function scriptPositionInSource(
  source: string,
  flowId: string,
  field: YamlPath,
  line: number | undefined,
  column: number | undefined,
): SourcePosition | undefined {
  const lc = new LineCounter();
  const lines = source.split(/\r?\n/);
  for (const doc of parseAllDocuments(source, { lineCounter: lc })) {
    if (doc.errors.length > 0 || doc.get('id') !== flowId) continue;
    const node: unknown = doc.getIn(field, true);
    return isScalar(node) ? scalarPosition(node, lc, lines, line, column) : undefined;
  }
  return undefined;
}
