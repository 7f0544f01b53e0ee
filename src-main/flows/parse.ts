import { LineCounter, parseAllDocuments, isMap, type Document } from 'yaml';
import { FlowdeckError } from '../../src-shared/errors';
import {
  flowDocumentSchema,
  stepKinds,
  stepSchemaByKind,
  taskDocumentSchema,
  type FlowDocument,
  type NormalizedStep,
  type TaskDocument,
} from '../../src-shared/domain/flow';
import { firstZodIssueError, yamlPathLocation, yamlSyntaxError } from '../inventory/yaml-errors';
import { checkYamlDocument, checkYamlText } from '../inventory/input-limits';

export interface ParsedFlowFile {
  flows: Array<{ doc: FlowDocument; source: string }>;
  tasks: TaskDocument[];
  /** The file's name and whole text, so later checks can point at a line in it. */
  file: string;
  text: string;
}

function parseStep(raw: unknown, index: number, doc: Document, lc: LineCounter, file: string): NormalizedStep {
  const path = ['steps', index];
  const at = yamlPathLocation(doc, lc, path, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FlowdeckError('invalid-input', `steps[${index}]: a step is a mapping such as { id: check, run: uptime }`, at);
  }
  const keys = Object.keys(raw);
  const kinds = keys.filter((k): k is (typeof stepKinds)[number] => (stepKinds as readonly string[]).includes(k));
  if (kinds.length > 1) {
    throw new FlowdeckError('invalid-input', `steps[${index}]: a step has exactly one kind, this one has ${kinds.join(' and ')}`, at);
  }
  const kind = kinds[0];
  if (!kind) {
    const common = ['id', 'name', 'when', 'timeout', 'retries', 'continueOnError', 'env', 'target', 'with', 'interpreter', 'elements', 'params'];
    const unknown = keys.find((k) => !common.includes(k));
    const msg = unknown
      ? `steps[${index}]: unknown step kind "${unknown}"; a step carries one of: ${stepKinds.join(', ')}`
      : `steps[${index}]: the step has no kind; add one of: ${stepKinds.join(', ')}`;
    throw new FlowdeckError('invalid-input', msg, unknown ? yamlPathLocation(doc, lc, [...path, unknown], file) : at);
  }
  const parsed = stepSchemaByKind[kind].safeParse(raw);
  if (!parsed.success) throw firstZodIssueError(parsed.error.issues, doc, lc, file, path);
  return { ...parsed.data, id: parsed.data.id ?? `step${index + 1}` } as NormalizedStep;
}

function parseFlow(value: Record<string, unknown>, doc: Document, lc: LineCounter, file: string): FlowDocument {
  const parsed = flowDocumentSchema.safeParse(value);
  if (!parsed.success) throw firstZodIssueError(parsed.error.issues, doc, lc, file);
  if (parsed.data.reorderEachBatch && parsed.data.gather === undefined) {
    throw new FlowdeckError(
      'invalid-input',
      'reorderEachBatch: orders the elements again before each batch from fresh facts, so it needs a `gather:` command that prints them',
      yamlPathLocation(doc, lc, ['reorderEachBatch'], file),
    );
  }
  const steps = parsed.data.steps.map((s, i) => parseStep(s, i, doc, lc, file));
  const seen = new Map<string, number>();
  steps.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined) {
      throw new FlowdeckError('invalid-input', `steps[${i}]: step id "${s.id}" is already used by steps[${first}]; ids are unique in a flow`, yamlPathLocation(doc, lc, ['steps', i, 'id'], file));
    }
    seen.set(s.id, i);
  });
  return { ...parsed.data, steps };
}

/**
 * Reads a flow file: one or more YAML documents, each a flow, or a task of the task library
 * when it says `kind: task`. The first problem is thrown with its file:line:column. The text is
 * size- and depth-checked before the yaml package sees it, and each document's aliases and keys
 * before it becomes a value (input-limits).
 */
export function parseFlowFile(text: string, file: string): ParsedFlowFile {
  checkYamlText(text, file);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const out: ParsedFlowFile = { flows: [], tasks: [], file, text };
  if (!Array.isArray(docs)) throw new FlowdeckError('invalid-yaml', 'not a YAML stream', { file });
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) throw yamlSyntaxError(first, lc, file);
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) throw new FlowdeckError('invalid-input', 'a flow file holds mappings (id:, name:, steps: ...)', yamlPathLocation(doc, lc, [], file));
    checkYamlDocument(doc, text, file);
    const value = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
    const { kind, ...rest } = value;
    if (kind === 'task') {
      const parsed = taskDocumentSchema.safeParse(rest);
      if (!parsed.success) throw firstZodIssueError(parsed.error.issues, doc, lc, file);
      out.tasks.push(parsed.data);
    } else if (kind === undefined || kind === 'flow') {
      // As written, as far as yaml allows: no folding of long lines, no padding added inside [a, b].
      const source = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
      out.flows.push({ doc: parseFlow(rest, doc, lc, file), source });
    } else {
      throw new FlowdeckError('invalid-input', `kind: must be "flow" or "task", not ${JSON.stringify(kind)}`, yamlPathLocation(doc, lc, ['kind'], file));
    }
  }
  if (out.flows.length === 0 && out.tasks.length === 0) throw new FlowdeckError('invalid-input', 'the file holds no flow', { file });
  return out;
}
