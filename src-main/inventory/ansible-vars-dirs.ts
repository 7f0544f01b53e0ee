// `group_vars/` and `host_vars/` beside an Ansible inventory file, read as ansible-core's
// host_group_vars plugin reads them, and layered as ansible-inventory reports the result.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { JsonObject } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { splitHostVars } from './ansible-builder';
import { parseAnsibleVarsFile } from './ansible-yaml';
import { ansibleGroupOrder, combineGroups, groupGraph } from './combine';
import { readInputFile } from './input-limits';
import type { ConnectionFields, SourceLayer } from './source-layer';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function kind(path: string): 'file' | 'dir' | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** A vars folder that holds more than this, or nests deeper, is refused: a link back to a parent folder would never end. */
const MAX_FILES = 1000;
const MAX_DEPTH = 8;

/** Every vars file of a folder, sorted, its subfolders' too; hidden files, backups (`x~`) and other extensions skipped. */
function filesIn(dir: string, depth = 1, out: string[] = []): string[] {
  if (depth > MAX_DEPTH) throw new FlowdeckError('invalid-input', `vars folders nest more than ${MAX_DEPTH} levels deep here (a link to a parent folder?)`, { file: dir });
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const path = join(dir, name);
    const ext = extname(name);
    const k = kind(path);
    if (k === 'dir' && !ext) filesIn(path, depth + 1, out);
    else if (k === 'file' && EXTENSIONS.includes(ext)) {
      out.push(path);
      if (out.length > MAX_FILES) throw new FlowdeckError('invalid-input', `a vars folder holds more than ${MAX_FILES} files`, { file: dir });
    }
  }
  return out;
}

/**
 * The files that hold `name`'s variables under `dir`: `name` itself (a file, or a folder of
 * files), else the first of name.yml, name.yaml, name.json.
 */
function varsFiles(dir: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext);
    const k = kind(path);
    if (k === 'dir') return filesIn(path);
    if (k === 'file') return [path];
  }
  return [];
}

/** All the vars files of one inventory file together may hold this much text. */
const MAX_TOTAL_CHARS = 64 * 1024 * 1024;

/** The variables `name`'s files give, later files replacing earlier ones key by key, as Ansible combines them. */
function readVars(dir: string, name: string, budget: { chars: number }): JsonObject {
  const vars: JsonObject = {};
  for (const file of varsFiles(dir, name)) {
    const text = readInputFile(file);
    budget.chars += text.length;
    if (budget.chars > MAX_TOTAL_CHARS) throw new FlowdeckError('invalid-input', `the group_vars/ and host_vars/ files hold more than ${MAX_TOTAL_CHARS / 1024 / 1024} MiB of text together`, { file });
    Object.assign(vars, parseAnsibleVarsFile(text, file));
  }
  return vars;
}

/**
 * The layer of an Ansible inventory file with what the `group_vars/` and `host_vars/` folders
 * beside it (in `dir`) say of its groups and hosts. ansible-inventory ranks those above every
 * variable the inventory file gives its groups: `group_vars/all`, then each of a host's groups
 * in Ansible's group order, then the file's own host variables, then `host_vars/HOST`. A host's
 * own context is Flowdeck's highest layer, so each host gets its folder variables there, in that
 * order, and the result is Ansible's. Files for groups or hosts the inventory does not list are
 * not read, as Ansible does not read them.
 */
export function withAnsibleVarsDirs(layer: SourceLayer, dir: string): SourceLayer {
  if (!layer.ansible) return layer;
  const groupDir = join(dir, 'group_vars');
  const hostDir = join(dir, 'host_vars');
  const hasGroupVars = kind(groupDir) === 'dir';
  const hasHostVars = kind(hostDir) === 'dir';
  if (!hasGroupVars && !hasHostVars) return layer;

  const combined = combineGroups([layer]);
  const graph = groupGraph(
    [...combined.values()].map((g) => ({ name: g.name, vars: g.vars, children: g.children })),
    combined,
  );
  const budget = { chars: 0 };
  const groupVars = new Map<string, JsonObject>();
  const varsOf = (group: string): JsonObject => {
    let v = groupVars.get(group);
    if (!v) groupVars.set(group, (v = hasGroupVars ? readVars(groupDir, group, budget) : {}));
    return v;
  };
  const elements = layer.elements.map((e) => {
    const direct = e.groups.some((g) => g !== 'ungrouped') ? e.groups.filter((g) => g !== 'ungrouped') : e.groups;
    const order = ['all', ...ansibleGroupOrder(direct, graph).filter((g) => g !== 'all')];
    const fromGroups: JsonObject = {};
    for (const g of order) Object.assign(fromGroups, varsOf(g));
    const fromHost = hasHostVars ? readVars(hostDir, e.id, budget) : {};
    if (Object.keys(fromGroups).length === 0 && Object.keys(fromHost).length === 0) return e;
    const groupsPart = splitHostVars(fromGroups, () => ({ file: groupDir }));
    const hostPart = splitHostVars(fromHost, () => ({ file: join(hostDir, e.id) }));
    const fields: ConnectionFields & typeof e.fields = { ...groupsPart.conn, ...e.fields, ...hostPart.conn };
    return { ...e, fields, context: { ...groupsPart.context, ...e.context, ...hostPart.context } };
  });
  return { ...layer, elements };
}
