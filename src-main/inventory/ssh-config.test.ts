import { describe, expect, it } from 'vitest';
import { parseSshConfig } from './ssh-config';
import { expectError, fixture } from './test-support';

describe('parseSshConfig on a realistic config', () => {
  const doc = parseSshConfig(fixture('ssh_config'), 'ssh_config', { home: '/home/op' });
  const el = (id: string) => doc.elements.find((e) => e.id === id);

  it('makes an element per concrete Host name, none for wildcards', () => {
    expect(doc.elements.map((e) => e.id)).toEqual(['bastion', 'web1', 'web2', 'db1', 'legacy']);
    expect(doc.groups).toEqual([]);
  });

  it('lets the first obtained value win, with Host * defaults filling the rest', () => {
    expect(el('bastion')).toEqual({
      id: 'bastion',
      name: 'bastion',
      host: '203.0.113.10',
      port: 2201,
      user: 'jump',
      identityFile: '/home/op/.ssh/id_ed25519',
      transport: 'ssh',
      groups: [],
      context: {},
      enabled: true,
    });
    // `web?` matches web1 before `Host *`; the Match block is skipped.
    expect(el('web1')).toMatchObject({ host: 'web1.internal.example.com', user: 'deploy', jump: 'bastion' });
    expect(el('web1')?.port).toBeUndefined();
    expect(el('web2')).toMatchObject({ host: 'web2.internal.example.com', port: 2222, user: 'deploy', jump: 'bastion' });
  });

  it('keeps a ProxyJump chain whole and reads Key=Value and quoted values', () => {
    expect(el('db1')).toMatchObject({
      host: '10.0.2.11',
      user: 'postgres',
      jump: 'ops@bastion.example.com:2201,jump2',
      identityFile: '/home/op/.ssh/db key',
    });
  });

  it('gives no jump when a ProxyCommand came first, and honours negated patterns', () => {
    expect(el('legacy')).toMatchObject({ host: 'legacy.example.com', user: 'fallback' });
    expect(el('legacy')?.jump).toBeUndefined();
  });

  it('keeps ~ as written without a home folder', () => {
    const d = parseSshConfig('Host a\n  IdentityFile ~/.ssh/a\n', 'c');
    expect(d.elements[0]?.identityFile).toBe('~/.ssh/a');
  });

  it('applies options before the first Host to every host, and ProxyJump none', () => {
    const d = parseSshConfig('User early\nHost a\n  User late\n  ProxyJump none\nHost *\n  ProxyJump gw\n', 'c');
    expect(d.elements[0]).toMatchObject({ user: 'early' });
    expect(d.elements[0]?.jump).toBeUndefined();
  });

  it('matches keywords without regard to case', () => {
    const d = parseSshConfig('HOST a\n  hostname 10.0.0.1\n  PORT 2022\n', 'c');
    expect(d.elements[0]).toMatchObject({ host: '10.0.0.1', port: 2022 });
  });
});

describe('parseSshConfig errors', () => {
  const f = 'config';
  it('a bad Port, even in a block no element uses', () => {
    expectError(() => parseSshConfig('Host a\n  Port 22\nHost *.x\n  Port 70000\n', f), 'invalid-input', { file: f, line: 4 }, /Port/);
    expectError(() => parseSshConfig('Host a\n  Port ssh\n', f), 'invalid-input', { file: f, line: 2 }, /"ssh"/);
  });
  it('a keyword without value', () => {
    expectError(() => parseSshConfig('Host a\n  HostName\n', f), 'invalid-input', { file: f, line: 2 }, /needs a value/);
    expectError(() => parseSshConfig('\nHost\n', f), 'invalid-input', { file: f, line: 2 }, /Host needs a value/);
  });
  it('an unterminated quote', () => {
    expectError(() => parseSshConfig('Host a\n  IdentityFile "~/.ssh/my key\n', f), 'invalid-input', { file: f, line: 2 }, /unterminated/);
  });
  it('two values where one is expected', () => {
    expectError(() => parseSshConfig('Host a\n  IdentityFile ~/.ssh/my key\n', f), 'invalid-input', { file: f, line: 2 }, /one value/);
  });
  it('a line that is not Keyword value', () => {
    expectError(() => parseSshConfig('Host a\n  -o Foo\n', f), 'invalid-input', { file: f, line: 2 });
  });
  it('a Host name that cannot be an id', () => {
    expectError(() => parseSshConfig('Host ok\nHost bad:name\n', f), 'invalid-input', { file: f, line: 2 }, /"bad:name"/);
  });
});
