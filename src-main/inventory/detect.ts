// Which reader a file needs, from its text (the name only breaks ties), so `inventory import`
// works without --format for the four formats an operator is likely to have.
import { parseDocument } from 'yaml';
import type { InventoryDocument } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { yamlDocumentProblem, yamlTextProblem } from '../../src-shared/yaml-limits';
import { parseAnsibleIniLayer } from './ansible-ini';
import { parseAnsibleYamlLayer } from './ansible-yaml';
import { combineLayers } from './combine';
import { withAnsibleVarsDirs } from './ansible-vars-dirs';
import { layerFromDocument, type SourceLayer } from './source-layer';
import { parseFlowdeckInventoryYaml } from './flowdeck-yaml';
import { parseSshConfig, type SshConfigOptions } from './ssh-config';
import { checkTextSize } from './input-limits';
import { contextNestingProblem } from './context-nesting';

/** How a file is read: ssh config's home folder; for a file on disk, its folder (Ansible's group_vars/ and host_vars/ are read from there). */
export interface InventoryReadOptions extends SshConfigOptions {
  varsDir?: string;
}

/** @public The list the type below is made from. */
export const inventoryFormats = ['ansible-ini', 'ansible-yaml', 'flowdeck-yaml', 'ssh-config'] as const;
export type InventoryFormat = (typeof inventoryFormats)[number];

const FLOWDECK_KEYS = ['elements', 'groups', 'profiles'];
const GROUP_KEYS = ['hosts', 'children', 'vars'];

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lines that are not blank or comments. */
function meaningfulLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('#') && !t.startsWith(';');
  });
}

/**
 * Flowdeck YAML has top-level `elements:`, `groups:` or `profiles:`; Ansible YAML a top-level
 * `all:` or groups holding `hosts:`/`children:`/`vars:`; an ssh config `Host`/`Match` lines;
 * anything else is read as an Ansible INI inventory. A YAML file with a syntax error is still
 * detected as YAML (by its top-level keys, its .yaml/.yml/.json name or an opening `{`) so that the error the
 * operator sees is the YAML one, with its line, not an INI reader's confusion. A text past the
 * YAML limits (nesting, aliases) is only looked at line by line here; the YAML reader it goes to
 * then says which limit.
 */
export function detectInventoryFormat(text: string, fileName: string): InventoryFormat {
  const lines = meaningfulLines(text);
  const doc = yamlTextProblem(text) ? undefined : parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  // JSON is YAML too; a text opening with `{` is a mapping, never an INI or ssh config line.
  const yamlLike = /\.(ya?ml|json)$/i.test(fileName) || text.trimStart().startsWith('{');
  if (doc && doc.errors.length === 0 && !yamlDocumentProblem(doc)) {
    const root: unknown = doc.toJS({ maxAliasCount: -1 });
    if (isMapping(root)) {
      const keys = Object.keys(root);
      if (keys.some((k) => FLOWDECK_KEYS.includes(k))) return 'flowdeck-yaml';
      if ('all' in root) return 'ansible-yaml';
      if (keys.length > 0 && Object.values(root).every((v) => v === null || (isMapping(v) && Object.keys(v).some((k) => GROUP_KEYS.includes(k))))) {
        return 'ansible-yaml';
      }
    }
  }
  const topKey = (k: string): boolean => lines.some((l) => new RegExp(`^${k}\\s*:`).test(l));
  if (FLOWDECK_KEYS.some(topKey)) return 'flowdeck-yaml';
  if (topKey('all')) return 'ansible-yaml';
  if (yamlLike) return 'ansible-yaml';
  // An INI section header never appears in an ssh config, and `host ...` is a valid INI host line.
  const iniSection = lines.some((l) => /^\s*\[[^\]]+\]\s*([#;].*)?$/.test(l));
  if (!iniSection && lines.some((l) => /^\s*(host|match)(\s*=\s*|\s+)\S/i.test(l))) return 'ssh-config';
  return 'ansible-ini';
}

function parseAs(format: InventoryFormat, text: string, fileName: string, opts: SshConfigOptions): SourceLayer {
  switch (format) {
    case 'ansible-ini':
      return parseAnsibleIniLayer(text, fileName);
    case 'ansible-yaml':
      return parseAnsibleYamlLayer(text, fileName);
    case 'flowdeck-yaml':
      return layerFromDocument(parseFlowdeckInventoryYaml(text, fileName));
    case 'ssh-config':
      return layerFromDocument(parseSshConfig(text, fileName, opts));
  }
}

/** What one file says, and in which format it was read. */
export interface InventorySource {
  format: InventoryFormat;
  layer: SourceLayer;
  /** The file alone as a Flowdeck document. */
  doc: InventoryDocument;
}

/**
 * Parses an inventory in the given format, or the detected one. A text larger than an input file
 * may be is refused first, and contexts whose dotted keys expand too deep after (any format can
 * write `a.b.c...` as one flat key).
 */
export function parseInventorySource(text: string, fileName: string, format?: InventoryFormat, opts: InventoryReadOptions = {}): InventorySource {
  checkTextSize(text, fileName);
  const f = format ?? detectInventoryFormat(text, fileName);
  const parsed = parseAs(f, text, fileName, opts);
  // On disk, an Ansible file's group_vars/ and host_vars/ belong to what it says.
  const layer = opts.varsDir !== undefined ? withAnsibleVarsDirs(parsed, opts.varsDir) : parsed;
  const doc = combineLayers([layer]);
  const deep = contextNestingProblem(doc);
  if (deep) throw new FlowdeckError('invalid-input', deep, { file: fileName });
  return { format: f, layer, doc };
}

export function parseInventory(text: string, fileName: string, format?: InventoryFormat, opts: SshConfigOptions = {}): InventoryDocument {
  return parseInventorySource(text, fileName, format, opts).doc;
}
