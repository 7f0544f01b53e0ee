import { describe, expect, it } from 'vitest';
import { inventoryDocumentSchema } from '../../src-shared/domain/inventory';
import { parseAnsibleIni } from './ansible-ini';
import { resolveElements } from './resolve';
import { expectError, fixture } from './test-support';

describe('parseAnsibleIni on a realistic inventory', () => {
  const doc = parseAnsibleIni(fixture('hosts.ini'), 'hosts.ini');
  const el = (id: string) => doc.elements.find((e) => e.id === id);

  it('makes one element per host, ranges expanded, in the order first seen', () => {
    expect(doc.elements.map((e) => e.id)).toEqual([
      'bastion.example.com',
      'web01.example.com',
      'web02.example.com',
      'web03.example.com',
      'web-canary',
      'web-legacy',
      'db-a',
      'db-b',
      'db-c',
      'localhost',
    ]);
    expect(() => inventoryDocumentSchema.parse(doc)).not.toThrow();
  });

  it('maps the connection variables and keeps the others as typed context', () => {
    expect(el('bastion.example.com')).toEqual({
      id: 'bastion.example.com',
      name: 'bastion.example.com',
      host: '203.0.113.10',
      user: 'jump',
      transport: 'ssh',
      groups: ['all', 'ungrouped'],
      context: {},
      enabled: true,
    });
    expect(el('web-canary')).toMatchObject({
      host: '10.0.1.50',
      port: 2222,
      user: 'deploy',
      identityFile: '~/.ssh/deploy_ed25519',
      context: { canary: true, weight: 0.5 },
    });
    // `host:port` in the host name; `007` and `1.2.3` are no Python numbers, so they stay text.
    expect(el('web-legacy')).toMatchObject({
      host: '10.0.1.60',
      port: 2200,
      context: { motd: 'maintenance window on Sunday', build: '007', release: '1.2.3' },
    });
    expect(el('localhost')).toMatchObject({ host: 'localhost', transport: 'local', groups: ['all', 'tools'] });
  });

  it('gives a host listed in several groups all of them with their parents, in Ansible precedence order', () => {
    // `all`, then by depth (prod and tools are top-level, web is under prod), then by name.
    expect(el('web01.example.com')?.groups).toEqual(['all', 'prod', 'tools', 'web']);
    expect(el('web01.example.com')?.context).toEqual({ backup_slot: 3 });
    expect(el('db-a')?.groups).toEqual(['all', 'prod', 'db']);
    expect(el('db-a')?.context).toEqual({ role: 'primary', 'pg.max_connections': 200 });
  });

  it('applies group connection variables to members, the host own values winning', () => {
    expect(el('web02.example.com')).toMatchObject({ user: 'deploy', identityFile: '~/.ssh/deploy_ed25519' });
    expect(el('web02.example.com')?.port).toBeUndefined();
    expect(el('db-b')).toMatchObject({ user: 'postgres', port: 5022 });
    expect(el('bastion.example.com')?.port).toBeUndefined();
  });

  it('types group vars as Python literals, keeps children as written, and no password', () => {
    const groups = Object.fromEntries(doc.groups.map((g) => [g.name, g]));
    expect(Object.keys(groups).sort()).toEqual(['all', 'db', 'prod', 'tools', 'ungrouped', 'web']);
    expect(groups.web).toEqual({ name: 'web', vars: { http_port: 8080, greeting: 'hello world' }, children: [] });
    expect(groups.db).toEqual({ name: 'db', vars: { 'pg.version': 16 }, children: [] });
    expect(groups.prod).toEqual({ name: 'prod', vars: { env: 'prod', http_port: 80 }, children: ['web', 'db'] });
    expect(groups.all?.vars).toEqual({ ansible_python_interpreter: '/usr/bin/python3', dc: 'ams1' });
    expect(JSON.stringify(doc)).not.toContain('never-imported');
  });

  it('resolves with Ansible precedence: all < parent < child < host', () => {
    const r = resolveElements(doc).find((e) => e.id === 'web01.example.com');
    expect(r?.groups).toEqual(['all', 'prod', 'tools', 'web']);
    expect(r?.context).toEqual({
      ansible_python_interpreter: '/usr/bin/python3',
      dc: 'ams1',
      env: 'prod',
      http_port: 8080,
      greeting: 'hello world',
      backup_slot: 3,
    });
    const db = resolveElements(doc).find((e) => e.id === 'db-a');
    expect(db?.context.pg).toEqual({ version: 16, max_connections: 200 });
  });
});

describe('parseAnsibleIni details', () => {
  it('types host-line values as Python literals after shell-style unquoting, as ansible-inventory does', () => {
    const doc = parseAnsibleIni(
      'h1 a=1 b=-2 c=1.5 d=1e3 e=True f=False g=None h=true i=007 j=0x1f k="42" l=\'x y\' m=a"b c"d o= n=#fff p=1\n',
      'h.ini',
    );
    expect(doc.elements[0]?.context).toEqual({
      a: 1,
      b: -2,
      c: 1.5,
      d: 1000,
      e: true,
      f: false,
      g: null,
      h: 'true',
      i: '007',
      j: 31,
      // The shell quotes go first, so "42" is the literal 42; `'"42"'` would be the text.
      k: 42,
      l: 'x y',
      m: 'ab cd',
      o: '',
      // A `#` outside quotes ends the line, even inside a word: p=1 is a comment.
      n: '',
    });
  });

  it('reads comments after host lines and section headers; in [g:vars] only a literal ends before one', () => {
    const doc = parseAnsibleIni('[web] # the web tier\nweb1 a=1 # one\n[web:vars] # vars\nx = two words # note\ny = "quoted # kept"\nz = "quoted" # comment\n', 'h.ini');
    expect(doc.elements[0]?.context).toEqual({ a: 1 });
    expect(doc.groups[0]?.vars).toEqual({ x: 'two words # note', y: 'quoted # kept', z: 'quoted' });
  });

  it('expands alphabetic, stepped and padded ranges', () => {
    const ids = (t: string) => parseAnsibleIni(t, 'h.ini').elements.map((e) => e.id);
    expect(ids('db-[a:c]\n')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(ids('n[0:6:3]\n')).toEqual(['n0', 'n3', 'n6']);
    expect(ids('r[08:10]-[a:b]\n')).toEqual(['r08-a', 'r08-b', 'r09-a', 'r09-b', 'r10-a', 'r10-b']);
  });

  it('files top hosts under ungrouped only while they are in no other group', () => {
    const doc = parseAnsibleIni('a\nb\n[web]\nb\n', 'h.ini');
    expect(doc.elements.map((e) => [e.id, e.groups])).toEqual([
      ['a', ['ungrouped']],
      ['b', ['web']],
    ]);
    expect(doc.groups.map((g) => g.name)).toEqual(['ungrouped', 'web']);
    expect(parseAnsibleIni('[web]\nb\n', 'h.ini').groups.map((g) => g.name)).toEqual(['web']);
  });

  it('accepts children declared later, and ssh-like connection names', () => {
    const doc = parseAnsibleIni('[prod:children]\nweb\n[web]\nw1 ansible_connection=paramiko\n[web:vars]\nansible_connection=smart\n', 'h.ini');
    expect(doc.groups.find((g) => g.name === 'prod')?.children).toEqual(['web']);
    expect(doc.elements[0]?.transport).toBe('ssh');
  });

  it('is empty for an empty file', () => {
    expect(parseAnsibleIni('# nothing\n\n', 'h.ini')).toEqual({ profiles: [], groups: [], elements: [] });
  });
});

describe('parseAnsibleIni errors name the first bad line', () => {
  const f = 'hosts.ini';
  const at = (line: number) => ({ file: f, line });

  it('a host variable without =value', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1 ansible_host=127.0.0.1\nweb2 ansible_port\n', f), 'invalid-input', at(3), /ansible_port/);
  });
  it('an unknown section suffix', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1\n\n[web:foo]\nx=1\n', f), 'invalid-input', at(4), /:foo/);
  });
  it('a malformed section header', () => {
    expectError(() => parseAnsibleIni('[web servers]\nweb1\n', f), 'invalid-input', at(1), /section header/);
  });
  it('a [group:children] naming itself', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1\n[web:children]\nweb\n', f), 'invalid-input', at(4), /itself/);
  });
  it('children that loop back', () => {
    expectError(() => parseAnsibleIni('[a:children]\nb\n[b:children]\nc\n[c:children]\na\n', f), 'invalid-input', at(6), /loop/);
  });
  it('an unterminated quote on a host line (in [g:vars] it is text, as in Ansible)', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1 motd="hello world\n', f), 'invalid-input', at(2), /unterminated double quote/);
    expect(parseAnsibleIni('[web:vars]\nx=1\nmotd=\'hello\n[web]\n', f).groups[0]?.vars).toEqual({ x: 1, motd: "'hello" });
  });
  it('a literal ansible-inventory cannot report either', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1 ports="{80, 443}"\n', f), 'invalid-input', at(2), /ports: a set/);
    expectError(() => parseAnsibleIni('[web:vars]\nz=2j\n[web]\n', f), 'invalid-input', at(2), /z: a complex number/);
  });
  it('a bad port, wherever it is written', () => {
    expectError(() => parseAnsibleIni('[web]\nweb1\nweb2 ansible_port=99999\n', f), 'invalid-input', at(3), /1 to 65535/);
    expectError(() => parseAnsibleIni('web1 ansible_port=ssh\n', f), 'invalid-input', at(1), /"ssh"/);
    expectError(() => parseAnsibleIni('\nweb1:0\n', f), 'invalid-input', at(2), /port 0/);
    expectError(() => parseAnsibleIni('[web]\nw\n[web:vars]\nansible_port=2.5\n', f), 'invalid-input', at(4), /ansible_port/);
  });
  it('a host alias that cannot be an id', () => {
    expectError(() => parseAnsibleIni('[web]\nweb_1\n-web2\n', f), 'invalid-input', at(3), /"-web2" cannot be an element id/);
  });
  it('a variable in a hosts section', () => {
    expectError(() => parseAnsibleIni('[web]\nhttp_port=80\n', f), 'invalid-input', at(2), /\[web:vars\]/);
  });
  it('a vars line without =', () => {
    expectError(() => parseAnsibleIni('[web]\nw\n[web:vars]\nhttp_port 80\n', f), 'invalid-input', at(4), /key=value/);
  });
  it('a connection Flowdeck does not have', () => {
    expectError(() => parseAnsibleIni('[win]\nw1 ansible_connection=winrm\n', f), 'invalid-input', at(2), /winrm/);
  });
  it('a bad range', () => {
    expectError(() => parseAnsibleIni('[web]\nweb[3:1]\n', f), 'invalid-input', at(2), /begin <= end/);
    expectError(() => parseAnsibleIni('[web]\nweb[01:100]\n', f), 'invalid-input', at(2), /same width/);
  });
  it('groups used but never declared, as Ansible reports them', () => {
    expectError(() => parseAnsibleIni('[web]\nw\n[dbs:vars]\nx=1\n', f), 'invalid-input', at(3), /never declared/);
    expectError(() => parseAnsibleIni('[prod:children]\nweb\ndb\n[web]\nw\n', f), 'invalid-input', at(3), /"db"/);
  });
  it('only the first of several problems', () => {
    expectError(() => parseAnsibleIni('[web]\nw1\nw2 port\n[web:nope]\nw3 ansible_port=0\n', f), 'invalid-input', at(3));
  });
});
