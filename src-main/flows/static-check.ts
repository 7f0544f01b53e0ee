import type { FlowDocument, TaskDocument } from '../../src-shared/domain/flow';
import { isFlowCall } from '../../src-shared/domain/step-kind';
import { FlowdeckError, type ErrorLocation } from '../../src-shared/errors';
import type { YamlPath } from '../inventory';
import type { Sandbox } from '../sandbox';
import type { SyntaxCheckItem } from '../sandbox/protocol';
import { planTemplate, rawInsertions, type PlannedTemplate } from '../sandbox/template-plan';
import { hasTemplate, templatePosition } from '../sandbox/template-syntax';
import { flowTemplateFields, taskTemplateFields, type TemplateField } from './template-fields';
import type { scriptPositionInSource } from './source-position';

/** Finds a script's text in its YAML file; loaded (with the YAML parser) only for documents that come with their file. */
type PositionFinder = typeof scriptPositionInSource;

/** A document to check, and where its text is (for file:line:col). */
export interface CheckedDocument {
  kind: 'flow' | 'task';
  doc: FlowDocument | TaskDocument;
  /** The YAML text holding the document, and its file name, when there is one. */
  source?: { text: string; file: string };
}

/** A `{{ raw }}` insertion, for reviewers: where it is and what it says. */
export interface RawFinding {
  location: ErrorLocation;
  field: string;
  source: string;
}

export interface StaticReport {
  /** Every problem, the first first: a template or expression that can never run. */
  problems: FlowdeckError[];
  raws: RawFinding[];
}

interface Pending {
  item: SyntaxCheckItem;
  /** Where an error at (line, column) of the checked text is in the YAML file. */
  locate(line: number | undefined, column: number | undefined): ErrorLocation;
  /** The message for a syntax error found there. */
  describe(message: string): string;
}

/** Where (line, column) of the text held at `path` is: in the YAML file when known, else in the field. */
function locator(d: CheckedDocument, path: YamlPath, position: PositionFinder | undefined): (line: number | undefined, column: number | undefined) => ErrorLocation {
  return (line, column) => {
    if (d.source) {
      const at = position?.(d.source.text, d.doc.id, path, line, column);
      if (at) return { file: d.source.file, ...at };
      return { file: d.source.file };
    }
    // A stored document has no file: the message names the field, the location the document.
    return { file: `${d.kind} "${d.doc.id}"` };
  };
}

/** The expressions of a flow (targets, `when:`, child `elements:`) and its processing script. */
function expressionsOf(d: CheckedDocument, flow: FlowDocument, pending: Pending[], position: PositionFinder | undefined): void {
  const add = (kind: SyntaxCheckItem['kind'], code: string, path: YamlPath, name: string): void => {
    pending.push({ item: { kind, code, name }, locate: locator(d, path, position), describe: (message) => `${name}: ${message}` });
  };
  if (flow.targets.expression) add('expression', flow.targets.expression, ['targets', 'expression'], `flow "${flow.id}" targets.expression`);
  if (flow.processing.trim()) add('processing', flow.processing, ['processing'], `flow "${flow.id}" processing`);
  flow.steps.forEach((step, i) => {
    if (step.when !== undefined) add('expression', step.when, ['steps', i, 'when'], `steps[${i}].when`);
    if (isFlowCall(step) && step.elements !== undefined && step.elements.trim() !== 'own') add('expression', step.elements, ['steps', i, 'elements'], `steps[${i}].elements`);
  });
}

/** A template's own problems and raw uses now; each slot's expression goes to the sandbox to compile. */
function templateOf(d: CheckedDocument, field: TemplateField, report: StaticReport, pending: Pending[], position: PositionFinder | undefined): void {
  if (!hasTemplate(field.text)) return;
  const locate = locator(d, field.path, position);
  let planned: PlannedTemplate;
  try {
    planned = planTemplate(field.text, field.name, field.target);
  } catch (e) {
    if (!(e instanceof FlowdeckError)) throw e;
    report.problems.push(new FlowdeckError('template-error', `${field.name}: ${e.message}`, locate(e.location?.line, e.location?.column)));
    return;
  }
  for (const p of planned.problems) {
    const note = p.afterRaw ? ' (unless the `{{ raw }}` before it changes the quoting)' : '';
    report.problems.push(new FlowdeckError('template-error', `${field.name}: ${p.message}${note}`, locate(p.line, p.column)));
  }
  for (const raw of rawInsertions(field.text, planned)) report.raws.push({ location: locate(raw.line, raw.column), field: field.name, source: raw.source });
  for (const s of planned.slots) {
    if (s.code.trim() === '') continue;
    const at = templatePosition(field.text, s.slot.start);
    pending.push({
      item: { kind: 'expression', code: s.code, name: field.name },
      locate: () => locate(at.line, at.column),
      describe: (message) => `${field.name}: \`{{ ${s.slot.code.trim()} }}\`: ${message}`,
    });
  }
}

/**
 * What can be known about flows and tasks before anything runs: templates that can never be
 * rendered (an unclosed `{{`, a value in a place no escaping makes safe), expressions and
 * processing scripts that do not compile, and every raw insertion. Nothing is evaluated: the
 * sandbox only compiles.
 */
export async function checkStatically(sandbox: Sandbox, documents: readonly CheckedDocument[]): Promise<StaticReport> {
  const report: StaticReport = { problems: [], raws: [] };
  const pending: Pending[] = [];
  // Stored documents (a run's) have no file: checking them never loads the YAML parser.
  const position = documents.some((d) => d.source) ? (await import('./source-position')).scriptPositionInSource : undefined;
  for (const d of documents) {
    if (d.kind === 'flow') expressionsOf(d, d.doc as FlowDocument, pending, position);
    const fields = d.kind === 'flow' ? flowTemplateFields(d.doc as FlowDocument) : taskTemplateFields(d.doc as TaskDocument);
    for (const field of fields) templateOf(d, field, report, pending, position);
  }
  const found = await sandbox.syntaxErrors(pending.map((p) => p.item));
  found.forEach((e, i) => {
    const p = pending[i];
    if (!e || !p) return;
    report.problems.push(new FlowdeckError('script-error', p.describe(e.message), p.locate(e.location?.line, e.location?.column)));
  });
  report.problems.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  return report;
}

/** The documents of parsed flow files, with their text for positions. */
export function documentsOf(files: ReadonlyArray<{ flows: Array<{ doc: FlowDocument }>; tasks: TaskDocument[]; file: string; text: string }>): CheckedDocument[] {
  return files.flatMap((f) => [
    ...f.flows.map((x): CheckedDocument => ({ kind: 'flow', doc: x.doc, source: { text: f.text, file: f.file } })),
    ...f.tasks.map((t): CheckedDocument => ({ kind: 'task', doc: t, source: { text: f.text, file: f.file } })),
  ]);
}

/** `file:line:col: raw insertion in steps[2].run: {{ raw cmd }}` */
export function rawFindingLine(raw: RawFinding): string {
  const { file, line, column } = raw.location;
  const where = [file, line, line !== undefined ? column : undefined].filter((x) => x !== undefined).join(':');
  return `${where}: raw insertion in ${raw.field}: ${raw.source}`;
}
