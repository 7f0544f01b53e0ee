// The Flowdeck YAML inventory (import and export): `{ profiles, groups, elements }` as in
// inventoryDocumentSchema. Export is meant for git: sorted, defaults left out, stable.
import { LineCounter, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import {
  elementSchema,
  groupSchema,
  profileSchema,
  type Element,
  type Group,
  type InventoryDocument,
  type Profile,
} from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { firstZodIssueError, yamlPathLocation, yamlSyntaxError } from './yaml-errors';
import { checkYamlDocument, checkYamlText } from './input-limits';
import { groupNestingProblem } from './group-nesting';

// Strict copies of the shared schemas: a misspelt key (`hots:`) is an error here rather than
// a field silently dropped on import.
const strictDocumentSchema = z.strictObject({
  profiles: z.array(profileSchema.strict()).default([]),
  groups: z.array(groupSchema.strict()).default([]),
  elements: z.array(elementSchema.strict()).default([]),
});

const SECTIONS = ['profiles', 'groups', 'elements'] as const;

/**
 * Parses Flowdeck YAML. Syntax errors are 'invalid-yaml'; schema problems and duplicate ids
 * are 'invalid-input' with the line and column of the offending node, the first in the file.
 * An empty file, or a section left empty (`elements:`), is an empty inventory.
 */
export function parseFlowdeckInventoryYaml(text: string, fileName: string): InventoryDocument {
  checkYamlText(text, fileName);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const syntax = doc.errors[0];
  if (syntax) throw yamlSyntaxError(syntax, lc, fileName);
  checkYamlDocument(doc, text, fileName);
  const raw: unknown = doc.toJS({ maxAliasCount: -1 });
  if (raw === null || raw === undefined) return { profiles: [], groups: [], elements: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FlowdeckError('invalid-input', 'a Flowdeck inventory is a mapping with profiles:, groups: and elements:', yamlPathLocation(doc, lc, [], fileName));
  }
  const value = { ...(raw as Record<string, unknown>) };
  for (const s of SECTIONS) if (value[s] === null) delete value[s];
  const parsed = strictDocumentSchema.safeParse(value);
  if (!parsed.success) throw firstZodIssueError(parsed.error.issues, doc, lc, fileName);

  const checkUnique = <T>(section: (typeof SECTIONS)[number], items: readonly T[], key: (t: T) => string, field: string): void => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) {
        throw new FlowdeckError(
          'invalid-input',
          `${section}[${i}].${field}: "${k}" is already used by ${section}[${first}]`,
          yamlPathLocation(doc, lc, [section, i, field], fileName),
        );
      }
      seen.set(k, i);
    });
  };
  checkUnique('profiles', parsed.data.profiles, (p) => p.id, 'id');
  checkUnique('groups', parsed.data.groups, (g) => g.name, 'name');
  checkUnique('elements', parsed.data.elements, (e) => e.id, 'id');
  const nesting = groupNestingProblem(parsed.data.groups);
  if (nesting) {
    const at = parsed.data.groups.findIndex((g) => g.name === nesting.top);
    throw new FlowdeckError('invalid-input', `groups[${at}].children: ${nesting.message}`, yamlPathLocation(doc, lc, ['groups', at, 'children'], fileName));
  }
  return parsed.data;
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function isEmpty(o: object): boolean {
  return Object.keys(o).length === 0;
}

/** Keys in a fixed, readable order; defaults (and undefined) left out. */
function elementOut(e: Element): Record<string, unknown> {
  const o: Record<string, unknown> = { id: e.id, name: e.name, host: e.host };
  if (e.port !== undefined) o.port = e.port;
  if (e.user !== undefined) o.user = e.user;
  if (e.transport !== 'ssh') o.transport = e.transport;
  if (e.credential !== undefined) o.credential = e.credential;
  if (e.jump !== undefined) o.jump = e.jump;
  if (e.identityFile !== undefined) o.identityFile = e.identityFile;
  if (e.hostKeyPolicy !== undefined) o.hostKeyPolicy = e.hostKeyPolicy;
  if (e.zone !== undefined) o.zone = e.zone;
  if (e.profile !== undefined) o.profile = e.profile;
  // Group order is precedence: it is kept as is, never sorted.
  if (e.groups.length > 0) o.groups = e.groups;
  if (!isEmpty(e.context)) o.context = e.context;
  if (!e.enabled) o.enabled = false;
  return o;
}

function groupOut(g: Group): Record<string, unknown> {
  const o: Record<string, unknown> = { name: g.name };
  if (!isEmpty(g.vars)) o.vars = g.vars;
  if (g.children.length > 0) o.children = g.children;
  return o;
}

function profileOut(p: Profile): Record<string, unknown> {
  const o: Record<string, unknown> = { id: p.id };
  if (p.name !== undefined) o.name = p.name;
  if (p.port !== undefined) o.port = p.port;
  if (p.user !== undefined) o.user = p.user;
  if (p.credential !== undefined) o.credential = p.credential;
  if (!isEmpty(p.context)) o.context = p.context;
  return o;
}

/**
 * Flowdeck YAML for a document: profiles by id, groups by name, elements by id, schema defaults
 * left out, so the same inventory always gives the same text and diffs stay small. It holds
 * credential references only: the document type has no place for a secret.
 * An empty inventory is written `elements: []` so it is still recognised as Flowdeck YAML.
 */
export function serializeFlowdeckInventoryYaml(doc: InventoryDocument): string {
  const out: Record<string, unknown> = {};
  if (doc.profiles.length > 0) out.profiles = [...doc.profiles].sort(byKey((p) => p.id)).map(profileOut);
  if (doc.groups.length > 0) out.groups = [...doc.groups].sort(byKey((g) => g.name)).map(groupOut);
  if (doc.elements.length > 0 || isEmpty(out)) out.elements = [...doc.elements].sort(byKey((e) => e.id)).map(elementOut);
  // lineWidth 0: long values stay on one line, as the operator wrote them.
  // aliasDuplicateObjects off: a context object shared by two elements must not become a YAML anchor.
  return stringify(out, { lineWidth: 0, aliasDuplicateObjects: false });
}
