// ansible-inventory as the reference for Flowdeck's Ansible import: what it reports for each
// host (its groups and variables), run hermetically (a scratch HOME, no ansible.cfg, no warnings).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from '../../src-shared/domain/inventory';

export interface AnsibleHost {
  /** Every group the host is in, directly or through children; `all` left out. */
  groups: string[];
  vars: JsonObject;
}

interface ListOutput {
  _meta: { hostvars: Record<string, JsonObject> };
  [group: string]: { hosts?: string[]; children?: string[] } | { hostvars: Record<string, JsonObject> };
}

/** Runs `ansible-inventory -i F1 [-i F2 ...] --list` and returns each host's groups and variables. */
export async function ansibleInventory(files: readonly string[]): Promise<Map<string, AnsibleHost>> {
  const home = mkdtempSync(join(tmpdir(), 'flowdeck-ansible-'));
  try {
    const cfg = join(home, 'ansible.cfg');
    writeFileSync(cfg, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      ANSIBLE_HOME: join(home, '.ansible'),
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_LOCALHOST_WARNING: 'False',
      ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
      // A file the ini/yaml plugins cannot read is an error, not a warning and an empty inventory.
      ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
      ANSIBLE_INVENTORY_ENABLED: 'yaml,ini',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
    };
    const args = [...files.flatMap((f) => ['-i', f]), '--list'];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('ansible-inventory', args, { env, cwd: home, maxBuffer: 64 * 1024 * 1024 }, (err, out, errText) => {
        if (err) reject(new Error(`ansible-inventory ${args.join(' ')} failed: ${errText || err.message}`));
        else resolve(out);
      });
    });
    const list = JSON.parse(stdout) as ListOutput;
    const children = new Map<string, string[]>();
    const direct = new Map<string, string[]>();
    for (const [name, g] of Object.entries(list)) {
      if (name === '_meta') continue;
      const group = g as { hosts?: string[]; children?: string[] };
      children.set(name, group.children ?? []);
      direct.set(name, group.hosts ?? []);
    }
    const hosts = new Map<string, AnsibleHost>();
    for (const [host, vars] of Object.entries(list._meta.hostvars)) hosts.set(host, { groups: [], vars });
    // A group holds its own hosts and its children's, all the way down.
    const membersOf = (name: string, seen = new Set<string>()): Set<string> => {
      const out = new Set(direct.get(name) ?? []);
      for (const c of children.get(name) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        for (const h of membersOf(c, seen)) out.add(h);
      }
      return out;
    };
    for (const name of children.keys()) {
      if (name === 'all') continue;
      for (const h of membersOf(name)) {
        let entry = hosts.get(h);
        if (!entry) {
          entry = { groups: [], vars: {} };
          hosts.set(h, entry);
        }
        entry.groups.push(name);
      }
    }
    for (const h of hosts.values()) h.groups.sort();
    return hosts;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Whether `ansible-inventory` is installed (scripts/install-system-deps.sh installs ansible-core). */
export function hasAnsibleInventory(): Promise<boolean> {
  return new Promise((resolve) => execFile('ansible-inventory', ['--version'], (err) => resolve(!err)));
}

const SECRET_KEYS = ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password', 'ansible_become_password', 'ansible_become_pass'];

/** What Flowdeck makes of a host's variables: its element fields, and the rest as context. */
export interface ElementShape {
  host: string;
  port: number;
  user?: string;
  transport: 'ssh' | 'local';
  identityFile?: string;
  /** `flowdeck_zone`: where Flowdeck runs the element's commands. */
  zone?: string;
  context: JsonObject;
}

/**
 * The element Ansible's variables for `alias` describe: ansible_host, ansible_port, ansible_user,
 * ansible_connection, the private key file and flowdeck_zone are the element's own fields,
 * passwords are never imported, and everything else is context.
 */
export function expectedElement(alias: string, vars: JsonObject): ElementShape {
  const pick = (...keys: string[]): JsonValue | undefined => keys.map((k) => vars[k]).find((v) => v !== undefined);
  const context: JsonObject = {};
  const fieldKeys = new Set([
    'ansible_host',
    'ansible_ssh_host',
    'ansible_port',
    'ansible_ssh_port',
    'ansible_user',
    'ansible_ssh_user',
    'ansible_connection',
    'ansible_ssh_private_key_file',
    'ansible_private_key_file',
    'flowdeck_zone',
    ...SECRET_KEYS,
  ]);
  for (const [k, v] of Object.entries(vars)) if (!fieldKeys.has(k)) context[k] = v;
  const out: ElementShape = {
    host: String(pick('ansible_host', 'ansible_ssh_host') ?? alias),
    port: Number(pick('ansible_port', 'ansible_ssh_port') ?? 22),
    transport: pick('ansible_connection') === 'local' ? 'local' : 'ssh',
    context,
  };
  const user = pick('ansible_user', 'ansible_ssh_user');
  if (user !== undefined) out.user = String(user);
  const key = pick('ansible_ssh_private_key_file', 'ansible_private_key_file');
  if (key !== undefined) out.identityFile = String(key);
  const zone = pick('flowdeck_zone');
  if (zone !== undefined) out.zone = String(zone);
  return out;
}
