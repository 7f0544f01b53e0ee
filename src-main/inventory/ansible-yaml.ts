// Ansible YAML inventories: `all: { hosts, vars, children: { web: { hosts, vars, children } } }`.
// Top-level groups other than `all` are allowed, as ansible-core's yaml plugin allows them.
import { LineCounter, parseDocument } from 'yaml';
import type { InventoryDocument, JsonObject, JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { AnsibleInventoryBuilder, type At } from './ansible-builder';
import { combineLayers } from './combine';
import { pyyamlScalarTags } from './pyyaml-scalars';
import type { SourceLayer } from './source-layer';
import { expandHostPattern } from './host-patterns';
import { yamlPathLocation, yamlSyntaxError, type YamlPath } from './yaml-errors';
import { checkYamlDocument, checkYamlText } from './input-limits';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** YAML values as JSON: anything without a JSON form (binary) keeps its text. */
function toJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Date) return v.toISOString();
  if (isMapping(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  return String(v);
}

/**
 * A YAML file as ansible-core's loader reads it (YAML 1.1 scalars as PyYAML types them, `<<:`
 * merge keys), after the size and depth checks; syntax errors at their line and column.
 */
function loadAnsibleYaml(text: string, fileName: string): { root: unknown; where: (path: YamlPath) => At } {
  checkYamlText(text, fileName);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: false, schema: 'failsafe', customTags: pyyamlScalarTags });
  const syntax = doc.errors[0];
  if (syntax) throw yamlSyntaxError(syntax, lc, fileName);
  checkYamlDocument(doc, text, fileName);
  return { root: doc.toJS({ maxAliasCount: -1 }) as unknown, where: (path) => () => yamlPathLocation(doc, lc, path, fileName) };
}

/** The file alone as a Flowdeck document (see parseAnsibleYamlLayer). */
export function parseAnsibleYaml(text: string, fileName: string): InventoryDocument {
  return combineLayers([parseAnsibleYamlLayer(text, fileName)]);
}

/**
 * Parses a YAML inventory into what it says, its scalars typed as ansible-core's PyYAML
 * loader types them (YAML 1.1: `yes` is true, `0755` octal). YAML syntax errors are 'invalid-yaml'; a structure Ansible would not
 * read (hosts as a list, an unknown group key such as `host:`) is 'invalid-input', both with
 * line and column. Ansible only warns about unknown group keys and skips them; here that
 * would silently drop hosts after a typo, so it is an error.
 */
export function parseAnsibleYamlLayer(text: string, fileName: string): SourceLayer {
  const { root, where } = loadAnsibleYaml(text, fileName);
  const b = new AnsibleInventoryBuilder();
  if (root === null || root === undefined) return b.layer();
  if (!isMapping(root)) {
    throw new FlowdeckError('invalid-input', 'an Ansible YAML inventory is a mapping of groups, starting with all:', where([])());
  }
  for (const [name, body] of Object.entries(root)) walkGroup(b, name, body, undefined, [name], where);
  return b.layer();
}

/**
 * A vars file (group_vars/web.yml, host_vars/web1/main.yml): a mapping of variables, typed as
 * ansible-core's loader types them; an empty file holds none. A file encrypted with
 * ansible-vault is refused: Flowdeck has no vault password, and secrets belong in credentials.
 */
export function parseAnsibleVarsFile(text: string, fileName: string): JsonObject {
  if (text.trimStart().startsWith('$ANSIBLE_VAULT;')) {
    throw new FlowdeckError('invalid-input', 'the file is encrypted with ansible-vault, which Flowdeck cannot read: decrypt it, or keep its secrets in Flowdeck credentials', { file: fileName });
  }
  const { root, where } = loadAnsibleYaml(text, fileName);
  if (root === null || root === undefined) return {};
  if (!isMapping(root)) throw new FlowdeckError('invalid-input', 'a vars file is a mapping of variables (name: value)', where([])());
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(root)) out[k] = toJson(v);
  return out;
}

function walkGroup(
  b: AnsibleInventoryBuilder,
  name: string,
  body: unknown,
  parent: string | undefined,
  path: YamlPath,
  where: (path: YamlPath) => At,
): void {
  const fail: (message: string, p: YamlPath) => never = (message, p) => {
    throw new FlowdeckError('invalid-input', message, where(p)());
  };
  b.group(name, where(path));
  if (parent !== undefined) b.child(parent, name, where(path));
  if (body === null || body === undefined) return;
  if (!isMapping(body)) fail(`group "${name}" must be a mapping with hosts:, vars: or children:`, path);
  // Ansible reads `hosts: web1` (a plain string) as `hosts: { web1: }`; the same for vars and children.
  const group: Record<string, unknown> = { ...body };
  for (const key of GROUP_KEYS) {
    const v = group[key];
    if (typeof v === 'string') group[key] = { [v]: null };
  }
  for (const key of Object.keys(group)) {
    if (!GROUP_KEYS.includes(key)) fail(`group "${name}": unknown key "${key}"; a group has hosts:, vars: and children:`, [...path, key]);
  }

  const hosts = group.hosts;
  if (hosts !== null && hosts !== undefined) {
    if (!isMapping(hosts)) fail(`group "${name}": hosts: must be a mapping of host names (web1: or web1: { ansible_host: ... })`, [...path, 'hosts']);
    for (const [pattern, hostVars] of Object.entries(hosts)) {
      const hostPath = [...path, 'hosts', pattern];
      const expanded = expandHostPattern(pattern);
      if (!expanded.ok) fail(expanded.message, hostPath);
      if (hostVars !== null && hostVars !== undefined && !isMapping(hostVars)) {
        fail(`host "${pattern}": its variables must be a mapping (ansible_host: ...)`, hostPath);
      }
      for (const alias of expanded.value.hosts) {
        b.host(alias, name, where(hostPath));
        if (expanded.value.port !== undefined) b.hostVar(alias, 'ansible_port', expanded.value.port, where(hostPath));
        for (const [k, v] of Object.entries((hostVars ?? {}) as Record<string, unknown>)) {
          b.hostVar(alias, k, toJson(v), where([...hostPath, k]));
        }
      }
    }
  }

  if ('vars' in group) {
    const vars = group.vars;
    if (vars !== null && vars !== undefined && !isMapping(vars)) fail(`group "${name}": vars: must be a mapping`, [...path, 'vars']);
    b.groupHasVars(name, where(path));
    for (const [k, v] of Object.entries((vars ?? {}) as Record<string, unknown>)) b.groupVar(name, k, toJson(v), where([...path, 'vars', k]));
  }

  const children = group.children;
  if (children !== null && children !== undefined) {
    if (!isMapping(children)) fail(`group "${name}": children: must be a mapping of groups`, [...path, 'children']);
    for (const [child, childBody] of Object.entries(children)) {
      walkGroup(b, child, childBody, name, [...path, 'children', child], where);
    }
  }
}
