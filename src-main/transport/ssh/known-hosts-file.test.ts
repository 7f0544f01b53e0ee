// Which known_hosts lines apply to a host, as OpenSSH decides it: plain names, `[host]:port`,
// wildcards, negations and hashed names. The matchers are compiled once per entry, so the
// same entry is asked about many hosts here, in both orders.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryMatches, parseKnownHosts } from './known-hosts-file';

const KEY = Buffer.from('not a real key').toString('base64');

function entry(hostField: string) {
  const [e] = parseKnownHosts(`${hostField} ssh-ed25519 ${KEY}\n`);
  if (!e) throw new Error(`no entry parsed from ${hostField}`);
  return e;
}

describe('known_hosts matching', () => {
  it('matches a plain name on port 22 and [name]:port on any other, case-insensitively', () => {
    const e = entry('db1.example.org,[db1.example.org]:2222');
    expect(entryMatches(e, 'db1.example.org', 22)).toBe(true);
    expect(entryMatches(e, 'DB1.Example.ORG', 22)).toBe(true);
    expect(entryMatches(e, 'db1.example.org', 2222)).toBe(true);
    expect(entryMatches(e, 'db1.example.org', 2200)).toBe(false);
    expect(entryMatches(e, 'db1.example.org.evil', 22)).toBe(false);
    expect(entryMatches(e, 'db1xexample.org', 22)).toBe(false);
  });

  it('reads * and ? as globs and every other character literally', () => {
    const e = entry('*.prod.example.org,web-?.example.org,[10.0.0.*]:2222');
    expect(entryMatches(e, 'a.prod.example.org', 22)).toBe(true);
    expect(entryMatches(e, 'prod.example.org', 22)).toBe(false);
    expect(entryMatches(e, 'web-1.example.org', 22)).toBe(true);
    expect(entryMatches(e, 'web-12.example.org', 22)).toBe(false);
    expect(entryMatches(e, '10.0.0.7', 2222)).toBe(true);
    expect(entryMatches(e, '10.0.0.7', 22)).toBe(false);
    expect(entryMatches(entry('a+b.example.org'), 'aab.example.org', 22)).toBe(false);
    expect(entryMatches(entry('a+b.example.org'), 'a+b.example.org', 22)).toBe(true);
  });

  it('lets a negated pattern veto a match whatever its place in the list', () => {
    const before = entry('!bastion.example.org,*.example.org');
    const after = entry('*.example.org,!bastion.example.org');
    for (const e of [before, after]) {
      expect(entryMatches(e, 'web.example.org', 22)).toBe(true);
      expect(entryMatches(e, 'bastion.example.org', 22)).toBe(false);
    }
    // A negation alone matches nothing.
    expect(entryMatches(entry('!bastion.example.org'), 'web.example.org', 22)).toBe(false);
  });

  it('matches a hashed name by its HMAC', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[127.0.0.5]:2201').digest();
    const e = entry(`|1|${salt.toString('base64')}|${hash.toString('base64')}`);
    expect(entryMatches(e, '127.0.0.5', 2201)).toBe(true);
    expect(entryMatches(e, '127.0.0.5', 22)).toBe(false);
    expect(entryMatches(e, '127.0.0.6', 2201)).toBe(false);
  });
});
