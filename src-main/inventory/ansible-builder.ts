// What the INI and the YAML Ansible readers share: hosts, groups and the meaning of Ansible's
// connection variables. Both readers feed this builder while they walk their text, so a bad
// value is reported where it was written.
import {
  slugSchema,
  type InventoryDocument,
  type JsonObject,
  type JsonValue,
  type TransportKind,
} from '../../src-shared/domain/inventory';
import { FlowdeckError, type ErrorLocation } from '../../src-shared/errors';
import { combineLayers } from './combine';
import type { ConnectionFields, LayerElement, LayerGroup, SourceLayer } from './source-layer';
import { groupNestingProblem, MAX_GROUP_NESTING } from './group-nesting';

/** Where a value came from, computed only when it is needed for an error. */
export type At = () => ErrorLocation;

interface Connection {
  host?: string;
  port?: number;
  user?: string;
  identityFile?: string;
  transport?: TransportKind;
  zone?: string;
}

interface HostRecord {
  alias: string;
  groups: string[];
  conn: Connection;
  context: JsonObject;
}

interface GroupRecord {
  name: string;
  children: string[];
  /** Where its last child was named, for an error about its children. */
  childrenAt?: At;
  conn: Connection;
  vars: JsonObject;
  priority?: number;
  /** `all` becomes a Flowdeck group only when the source gives it variables. */
  emitted: boolean;
}

/** Both spellings Ansible's ssh plugin reads; the `ansible_ssh_*` ones predate 2.0. */
const CONNECTION_KEYS: Record<string, keyof Connection> = {
  ansible_host: 'host',
  ansible_ssh_host: 'host',
  ansible_port: 'port',
  ansible_ssh_port: 'port',
  ansible_user: 'user',
  ansible_ssh_user: 'user',
  ansible_ssh_private_key_file: 'identityFile',
  ansible_private_key_file: 'identityFile',
  ansible_connection: 'transport',
  // Not Ansible's: where Flowdeck runs the element's commands (the runners of that zone).
  flowdeck_zone: 'zone',
};

/**
 * Passwords are not imported: Flowdeck keeps secrets encrypted in its credential store, while
 * the context is shown to scripts and written by export. The operator adds a credential instead.
 */
const SECRET_KEYS = new Set([
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_sudo_pass',
  'ansible_sudo_password',
  'ansible_ssh_private_key_passphrase',
]);

const TRANSPORTS: Record<string, TransportKind> = { local: 'local', ssh: 'ssh', paramiko: 'ssh', paramiko_ssh: 'ssh', smart: 'ssh' };

function fail(message: string, at: At): never {
  throw new FlowdeckError('invalid-input', message, at());
}

function text(key: string, value: JsonValue, max: number, at: At): string {
  if (typeof value === 'object' && value !== null) fail(`${key} must be a single value, not ${Array.isArray(value) ? 'a list' : 'a mapping'}`, at);
  const s = value === null ? '' : String(value);
  if (s === '') fail(`${key} must not be empty`, at);
  if (s.length > max) fail(`${key} must be at most ${max} characters long`, at);
  return s;
}

function setConnection(conn: Connection, field: keyof Connection, key: string, value: JsonValue, at: At): void {
  switch (field) {
    case 'port': {
      const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
        fail(`${key} must be a whole number from 1 to 65535, not ${JSON.stringify(value)}`, at);
      }
      conn.port = n;
      return;
    }
    case 'transport': {
      const t = typeof value === 'string' ? TRANSPORTS[value.trim()] : undefined;
      if (!t) fail(`${key}=${String(value)} is not supported: Flowdeck connects with ssh (also for paramiko and smart) or local`, at);
      conn.transport = t;
      return;
    }
    case 'host':
      conn.host = text(key, value, 255, at);
      return;
    case 'user':
      conn.user = text(key, value, 64, at);
      return;
    case 'identityFile':
      conn.identityFile = text(key, value, 4096, at);
      return;
    case 'zone': {
      const zone = text(key, value, 128, at);
      const ok = slugSchema.safeParse(zone);
      if (!ok.success) fail(`${key} "${zone}" ${ok.error.issues[0]?.message ?? 'is not a valid zone name'}`, at);
      conn.zone = zone;
      return;
    }
  }
}

/**
 * Variables read for one host from vars files (group_vars/, host_vars/): Ansible's connection
 * variables as element settings, passwords dropped, the rest as context, as for a host line.
 */
export function splitHostVars(vars: JsonObject, at: At): { conn: ConnectionFields; context: JsonObject } {
  const conn: Connection = {};
  const context: JsonObject = {};
  for (const [key, value] of Object.entries(vars)) {
    const field = CONNECTION_KEYS[key];
    if (field) setConnection(conn, field, key, value, at);
    else if (!SECRET_KEYS.has(key)) context[key] = value;
  }
  return { conn, context };
}

export class AnsibleInventoryBuilder {
  private readonly hosts = new Map<string, HostRecord>();
  private readonly groups = new Map<string, GroupRecord>();

  /** The group record, created on first mention; `all` is kept aside until it gets variables. */
  group(name: string, at: At): GroupRecord {
    let g = this.groups.get(name);
    if (!g) {
      const ok = slugSchema.safeParse(name);
      if (!ok.success) fail(`group name "${name}" ${ok.error.issues[0]?.message ?? 'is not valid'}`, at);
      g = { name, children: [], conn: {}, vars: {}, emitted: name !== 'all' };
      this.groups.set(name, g);
    }
    return g;
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** A host listed under `group` (undefined: at the top, which Ansible calls ungrouped). */
  host(alias: string, group: string | undefined, at: At): HostRecord {
    let h = this.hosts.get(alias);
    if (!h) {
      const ok = slugSchema.safeParse(alias);
      if (!ok.success) fail(`host "${alias}" cannot be an element id: it ${ok.error.issues[0]?.message ?? 'is not valid'}`, at);
      h = { alias, groups: [], conn: {}, context: {} };
      this.hosts.set(alias, h);
    }
    if (group !== undefined && group !== 'all') {
      this.group(group, at);
      if (!h.groups.includes(group)) h.groups.push(group);
    }
    return h;
  }

  hostVar(alias: string, key: string, value: JsonValue, at: At): void {
    const h = this.host(alias, undefined, at);
    const field = CONNECTION_KEYS[key];
    if (field) setConnection(h.conn, field, key, value, at);
    else if (!SECRET_KEYS.has(key)) h.context[key] = value;
  }

  groupVar(name: string, key: string, value: JsonValue, at: At): void {
    const g = this.group(name, at);
    g.emitted = true;
    if (key === 'ansible_group_priority') {
      // Ansible keeps it out of the variables: it only orders groups of the same depth.
      const n = typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) fail(`ansible_group_priority must be a whole number, not ${JSON.stringify(value)}`, at);
      g.priority = n;
      return;
    }
    const field = CONNECTION_KEYS[key];
    if (field) setConnection(g.conn, field, key, value, at);
    else if (!SECRET_KEYS.has(key)) g.vars[key] = value;
  }

  /** Marks a group as having a vars section even when it is empty (`all: { vars: {} }`). */
  groupHasVars(name: string, at: At): void {
    this.group(name, at).emitted = true;
  }

  /**
   * `child` becomes a child of `parent`. Every group is under `all` already, so `all` keeps no
   * children list. A child that leads back to its parent, or nests groups too deep, is refused
   * where it is written.
   */
  child(parent: string, child: string, at: At): void {
    if (child === 'all') fail('"all" holds every group and cannot be the child of another', at);
    if (child === parent) fail(`group "${parent}" cannot be its own child`, at);
    const c = this.group(child, at);
    if (parent === 'all') return;
    const p = this.group(parent, at);
    const tooDeep = (): never => fail(`making "${child}" a child of "${parent}" nests groups more than ${MAX_GROUP_NESTING} levels deep; Flowdeck reads at most ${MAX_GROUP_NESTING}`, at);
    if (this.reaches(child, parent, tooDeep)) fail(`making "${child}" a child of "${parent}" creates a loop: "${parent}" is already below "${child}"`, at);
    if (!p.children.includes(c.name)) p.children.push(c.name);
    // Taken now: the INI reader's `at` says the line it is reading when called.
    const where = at();
    p.childrenAt = () => where;
  }

  /**
   * Whether `to` is `from` or below it. The search goes at most MAX_GROUP_NESTING levels down:
   * below that the groups nest too deep anyway, which is said here, at the line that links them,
   * rather than after searching a chain of thousands once for every line.
   */
  private reaches(from: string, to: string, tooDeep: () => never): boolean {
    const stack: Array<[string, number]> = [[from, 1]];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const [n, level] = stack.pop() as [string, number];
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      if (level >= MAX_GROUP_NESTING) tooDeep();
      for (const c of this.groups.get(n)?.children ?? []) stack.push([c, level + 1]);
    }
    return false;
  }

  /**
   * What this file says, as a layer: each host with its own settings, variables and the groups
   * it is listed in; each group with its variables, children, connection settings and priority.
   * As in Ansible, `ungrouped` holds only the hosts that are in no other group of the file.
   */
  layer(): SourceLayer {
    const nesting = groupNestingProblem(this.groups.values());
    if (nesting) fail(nesting.message, this.groups.get(nesting.top)?.childrenAt ?? (() => ({})));
    const members = new Set<string>();
    const elements: LayerElement[] = [];
    for (const h of this.hosts.values()) {
      const named = h.groups.filter((g) => g !== 'ungrouped');
      const groups = named.length > 0 ? named : ['ungrouped'];
      for (const g of groups) members.add(g);
      elements.push({ id: h.alias, fields: { ...h.conn }, groups, context: h.context });
    }
    if (members.has('ungrouped')) this.group('ungrouped', () => ({}));
    const groups: LayerGroup[] = [];
    for (const g of this.groups.values()) {
      if (!g.emitted) continue;
      const empty = Object.keys(g.vars).length === 0 && g.children.length === 0 && Object.keys(g.conn).length === 0;
      // An `ungrouped` section whose hosts all turned out to be in other groups says nothing.
      if (g.name === 'ungrouped' && empty && !members.has('ungrouped')) continue;
      const lg: LayerGroup = { name: g.name, vars: g.vars, children: g.children, conn: { ...g.conn } };
      if (g.priority !== undefined) lg.priority = g.priority;
      groups.push(lg);
    }
    return { ansible: true, profiles: [], groups, elements };
  }

  /** The file alone as a Flowdeck document: members carry the groups' connection settings. */
  build(): InventoryDocument {
    return combineLayers([this.layer()]);
  }
}
