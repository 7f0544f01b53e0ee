// `group_vars/` and `host_vars/` beside an Ansible inventory file, read as ansible-core's
// host_group_vars plugin reads them, and layered as ansible-inventory reports the result.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { JsonObject } from '../../src-shared/domain/inventory';
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

/** Every vars file of a folder, sorted, its subfolders' too; hidden files, backups (`x~`) and other extensions skipped. */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const path = join(dir, name);
    const ext = extname(name);
    const k = kind(path);
    if (k === 'dir' && !ext) out.push(...filesIn(path));
    else if (k === 'file' && EXTENSIONS.includes(ext)) out.push(path);
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

/** The variables `name`'s files give, later files replacing earlier ones key by key, as Ansible combines them. */
function readVars(dir: string, name: string): JsonObject {
  const vars: JsonObject = {};
  for (const file of varsFiles(dir, name)) Object.assign(vars, parseAnsibleVarsFile(readInputFile(file), file));
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
  const groupVars = new Map<string, JsonObject>();
  const varsOf = (group: string): JsonObject => {
    let v = groupVars.get(group);
    if (!v) groupVars.set(group, (v = hasGroupVars ? readVars(groupDir, group) : {}));
    return v;
  };
  const elements = layer.elements.map((e) => {
    const direct = e.groups.some((g) => g !== 'ungrouped') ? e.groups.filter((g) => g !== 'ungrouped') : e.groups;
    const order = ['all', ...ansibleGroupOrder(direct, graph).filter((g) => g !== 'all')];
    const fromGroups: JsonObject = {};
    for (const g of order) Object.assign(fromGroups, varsOf(g));
    const fromHost = hasHostVars ? readVars(hostDir, e.id) : {};
    if (Object.keys(fromGroups).length === 0 && Object.keys(fromHost).length === 0) return e;
    const groupsPart = splitHostVars(fromGroups, () => ({ file: groupDir }));
    const hostPart = splitHostVars(fromHost, () => ({ file: join(hostDir, e.id) }));
    const fields: ConnectionFields & typeof e.fields = { ...groupsPart.conn, ...e.fields, ...hostPart.conn };
    return { ...e, fields, context: { ...groupsPart.context, ...e.context, ...hostPart.context } };
  });
  return { ...layer, elements };
}
