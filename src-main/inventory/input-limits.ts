// The limits of src-shared/yaml-limits applied where main reads a file or a text from outside
// (inventory import, flow import and validate, the console's editor): a file is read only up to
// the size limit, and a refused text is a FlowdeckError at its file:line:column.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FlowdeckError } from '../../src-shared/errors';
import {
  inputSizeProblem,
  lineColumnAt,
  MAX_INPUT_BYTES,
  utf8Length,
  yamlDocumentProblem,
  yamlTextProblem,
  type InputProblem,
} from '../../src-shared/yaml-limits';
import type { YamlDocumentLike } from './yaml-errors';

function located(problem: InputProblem, text: string, file: string): FlowdeckError {
  if (problem.offset === undefined) return new FlowdeckError(problem.code, problem.message, { file });
  return new FlowdeckError(problem.code, problem.message, { file, ...lineColumnAt(text, problem.offset) });
}

/** Any text from outside: refused when it is larger than an input file may be. */
export function checkTextSize(text: string, file: string): void {
  const problem = inputSizeProblem(utf8Length(text, MAX_INPUT_BYTES));
  if (problem) throw located(problem, text, file);
}

/** Before the yaml package sees `text`: its size, nesting depth and anchor/alias counts. */
export function checkYamlText(text: string, file: string): void {
  const problem = yamlTextProblem(text);
  if (problem) throw located(problem, text, file);
}

/**
 * After parsing (with `uniqueKeys: false`) and before `toJS`: duplicate keys, self-referring
 * aliases and alias bombs. `toJS` may then run with `maxAliasCount: -1`: this check counts
 * exactly what the aliases add, where the package's own count only estimates it.
 */
export function checkYamlDocument(doc: YamlDocumentLike, text: string, file: string): void {
  const problem = yamlDocumentProblem(doc as Parameters<typeof yamlDocumentProblem>[0]);
  if (problem) throw located(problem, text, file);
}

const CHUNK = 1024 * 1024;

/**
 * A file's text, read only as far as the size limit: a huge file, a FIFO or /dev/zero is
 * refused after at most MAX_INPUT_BYTES + 1 bytes instead of filling the memory.
 */
export function readInputFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new FlowdeckError('not-found', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FlowdeckError('invalid-input', `cannot read ${path}: it is a directory`);
    if (st.isFile()) {
      const size = inputSizeProblem(st.size);
      if (size) throw new FlowdeckError('invalid-input', size.message, { file: path });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw new FlowdeckError('not-found', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      if (n === 0) break;
      chunks.push(n === CHUNK ? buf : buf.subarray(0, n));
      total += n;
      const size = inputSizeProblem(total);
      if (size) throw new FlowdeckError('invalid-input', size.message, { file: path });
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
