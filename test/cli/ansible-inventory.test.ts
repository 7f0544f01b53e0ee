// Flowdeck's Ansible import against ansible-inventory itself: after `flowdeck inventory import`,
// every host's groups, element fields and effective context must be what `ansible-inventory
// --list` reports for the same files.
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { ansibleInventory, expectedElement, hasAnsibleInventory, type ElementShape } from '../support/ansible-inventory';
import { repoRoot, Workspace } from '../support/cli';

const fixture = (name: string): string => `${repoRoot}/test/fixtures/inventory/${name}`;

interface Seen {
  groups: string[];
  element: ElementShape;
}

/** Flowdeck's view of each imported host, in the shape ansible-inventory's answer is put in. */
async function flowdeckHosts(ws: Workspace): Promise<Map<string, Seen>> {
  const list = await ws.json<ResolvedElement[]>(['inventory', 'list', '--json']);
  const out = new Map<string, Seen>();
  for (const e of list) {
    if (e.id === 'localhost' && e.groups.length === 0) continue;
    const element: ElementShape = { host: e.host, port: e.port, transport: e.transport, context: e.context };
    if (e.user !== undefined) element.user = e.user;
    if (e.identityFile !== undefined) element.identityFile = e.identityFile;
    if (e.zone !== undefined) element.zone = e.zone;
    out.set(e.id, { groups: e.groups.filter((g) => g !== 'all').sort(), element });
  }
  return out;
}

/** Both views, host by host, so a failure names the host and what differs. */
async function expectSameAsAnsible(ws: Workspace, files: readonly string[]): Promise<number> {
  const ansible = await ansibleInventory(files);
  const flowdeck = await flowdeckHosts(ws);
  expect([...flowdeck.keys()].sort()).toEqual([...ansible.keys()].sort());
  for (const [host, a] of ansible) {
    const f = flowdeck.get(host);
    expect({ host, groups: f?.groups, element: f?.element }).toEqual({ host, groups: a.groups, element: expectedElement(host, a.vars) });
  }
  return ansible.size;
}

beforeAll(async () => {
  if (!(await hasAnsibleInventory())) throw new Error('ansible-inventory is missing: run `bash scripts/install-system-deps.sh` (it installs ansible-core)');
});

describe('an Ansible inventory imports as ansible-inventory reads it', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('INI: ranges, children, [all:vars], typed and quoted values, comments, group precedence and priority', async () => {
    const r = await ws.run(['inventory', 'import', fixture('ansible-typed.ini')]);
    expect(r.code, r.stderr).toBe(0);
    const n = await expectSameAsAnsible(ws, [fixture('ansible-typed.ini')]);
    expect(n).toBe(13);
    // The values the old reader got wrong, spelled out.
    const web02 = (await flowdeckHosts(ws)).get('web02')?.element.context;
    expect(web02).toMatchObject({ http_port: 8080, level: 7, quoted: '42', false_text: 'false', none: null, true: true, tuple: [1, 'two'] });
    expect(web02?.list).toEqual([{ name: 'a', n: 1 }, { name: 'b', n: 2.5 }]);
  });

  it('YAML: the same shape, scalars typed as PyYAML types them (yes, 0755, 12:30, dates), merge keys', async () => {
    const ws2 = new Workspace();
    try {
      const r = await ws2.run(['inventory', 'import', fixture('ansible-typed.yaml')]);
      expect(r.code, r.stderr).toBe(0);
      expect(await expectSameAsAnsible(ws2, [fixture('ansible-typed.yaml')])).toBe(13);
    } finally {
      ws2.dispose();
    }
  });
});

describe('several files add up as `ansible-inventory -i a -i b` does; a re-import replaces only its file', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());
  let a: string;
  let b: string;

  it('two files: memberships from both, the later file winning a variable both set', async () => {
    a = ws.path('a.ini');
    b = ws.path('b.ini');
    copyFileSync(fixture('ansible-multi-a.ini'), a);
    copyFileSync(fixture('ansible-multi-b.ini'), b);
    expect((await ws.run(['inventory', 'import', a])).code).toBe(0);
    const second = await ws.run(['inventory', 'import', b]);
    expect(second.code, second.stderr).toBe(0);
    await expectSameAsAnsible(ws, [a, b]);
    const hosts = await flowdeckHosts(ws);
    expect(hosts.get('web01')?.groups).toEqual(['f10', 'f50', 'prod']);
  });

  it('re-importing the first file after it changed: a host it dropped loses its groups and variables, b still counts', async () => {
    copyFileSync(fixture('ansible-multi-a2.ini'), a);
    const r = await ws.run(['inventory', 'import', a]);
    expect(r.code, r.stderr).toBe(0);
    // web03 is in no file any more: kept, and said so.
    expect(r.stdout.trim()).toBe(
      'imported a.ini: elements: 0 added, 1 updated, 3 unchanged; groups: 0 added, 1 updated, 2 unchanged; 1 element in no file any more, kept: web03',
    );
    const hosts = await flowdeckHosts(ws);
    expect(hosts.get('web03')).toEqual({ groups: [], element: { host: 'web03', port: 22, transport: 'ssh', context: {} } });
    hosts.delete('web03');
    const ansible = await ansibleInventory([a, b]);
    expect([...hosts.keys()].sort()).toEqual([...ansible.keys()].sort());
    for (const [host, v] of ansible) expect({ host, ...hosts.get(host) }).toEqual({ host, groups: v.groups, element: expectedElement(host, v.vars) });
    // The same file again changes nothing.
    const again = await ws.run(['inventory', 'import', a]);
    expect(again.stdout).toMatch(/elements: 0 added, 0 updated, 3 unchanged; groups: 0 added, 0 updated, 3 unchanged\n$/);
  });
});

describe('group_vars/ and host_vars/ beside the file count as ansible-inventory counts them', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('folder variables rank above every group variable of the file, host_vars above the host line', async () => {
    mkdirSync(ws.path('site/group_vars/web'), { recursive: true });
    mkdirSync(ws.path('site/host_vars'), { recursive: true });
    const inv = ws.file(
      'site/hosts.ini',
      `[web]
web1 ansible_host=10.0.0.1 tier=line
web2 ansible_port=2202

[db]
db1

[prod:children]
web
db

[web:vars]
color=blue
owner=web-file

[prod:vars]
owner=prod-file
region=eu
`,
    );
    // `all` from the folder beats [web:vars] of the file; a deeper group's folder beats a shallower one's.
    ws.file('site/group_vars/all.yml', 'owner: all-folder\nntp: pool.example.org\nansible_user: deploy\n');
    ws.file('site/group_vars/prod.yaml', 'region: us\nowner: prod-folder\nlevels: [1, 2]\n');
    // A folder: its files in name order, the later replacing the earlier, subfolders included.
    ws.file('site/group_vars/web/10-main.yml', 'color: green\nport_http: 8080\n');
    ws.file('site/group_vars/web/20-more.yml', 'color: red\nflag: yes\n');
    mkdirSync(ws.path('site/group_vars/web/nested'));
    ws.file('site/group_vars/web/nested/x.json', '{"from_json": 0755}\n');
    ws.file('site/group_vars/web/.hidden.yml', 'color: hidden\n');
    ws.file('site/group_vars/web/notes.txt', 'color: txt\n');
    ws.file('site/group_vars/db', 'ansible_port: 5433\ndb_role: primary\n');
    ws.file('site/group_vars/nosuchgroup.yml', 'ghost: 1\n');
    ws.file('site/host_vars/web1.yml', 'tier: folder\nansible_host: 10.0.0.11\nansible_password: never-imported\n');
    ws.file('site/host_vars/web2.yml', '');
    const r = await ws.run(['inventory', 'import', inv]);
    expect(r.code, r.stderr).toBe(0);
    expect(await expectSameAsAnsible(ws, [inv])).toBe(3);
    const hosts = await flowdeckHosts(ws);
    expect(hosts.get('web1')?.element).toMatchObject({ host: '10.0.0.11', user: 'deploy' });
    expect(hosts.get('web1')?.element.context).toMatchObject({ owner: 'prod-folder', color: 'red', tier: 'folder', region: 'us', from_json: 493, flag: true });
    expect(hosts.get('db1')?.element).toMatchObject({ port: 5433, user: 'deploy' });
  });

  it('a vars file encrypted with ansible-vault is refused in one line, and nothing is written', async () => {
    const ws2 = new Workspace();
    try {
      mkdirSync(ws2.path('v/group_vars'), { recursive: true });
      const inv = ws2.file('v/hosts.ini', '[web]\nweb1\n');
      ws2.file('v/group_vars/web.yml', '$ANSIBLE_VAULT;1.1;AES256\n6162636465\n');
      const r = await ws2.run(['inventory', 'import', inv]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('group_vars/web.yml');
      expect(r.stderr).toContain('ansible-vault');
      expect((await flowdeckHosts(ws2)).size).toBe(0);
    } finally {
      ws2.dispose();
    }
  });
});

describe('hostile vars folders', () => {
  it('a folder linked into itself is refused in one line instead of read for ever', async () => {
    const ws = new Workspace();
    try {
      mkdirSync(ws.path('v/group_vars/web'), { recursive: true });
      const inv = ws.file('v/hosts.ini', '[web]\nweb1\n');
      ws.file('v/group_vars/web/main.yml', 'a: 1\n');
      symlinkSync(ws.path('v/group_vars/web'), ws.path('v/group_vars/web/again'));
      const r = await ws.run(['inventory', 'import', inv]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/vars folders nest more than 8 levels deep/);
      expect((await flowdeckHosts(ws)).size).toBe(0);
    } finally {
      ws.dispose();
    }
  });
});
