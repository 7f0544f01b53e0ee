import { createHmac } from 'node:crypto';

/** One line of an OpenSSH known_hosts file. */
export interface KnownHostsEntry {
  marker: '@revoked' | '@cert-authority' | null;
  /** Plain patterns (`host`, `[host]:port`, wildcards, `!negation`), or a hashed host. */
  hosts: { kind: 'patterns'; patterns: string[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };
  keyType: string;
  key: Buffer;
  line: number;
}

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostsEntry['marker'];
    const [hostField, keyType, keyB64] = fields;
    if (!hostField || !keyType || !keyB64) return; // OpenSSH skips lines it cannot read; so do we.
    let hosts: KnownHostsEntry['hosts'];
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (!salt || !hash) return;
      hosts = { kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      hosts = { kind: 'patterns', patterns: hostField.split(',') };
    }
    out.push({ marker, hosts, keyType, key: Buffer.from(keyB64, 'base64'), line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** One host pattern of an entry, ready to test a name: compiled once, not for every connection. */
interface PatternMatcher {
  negated: boolean;
  test(name: string): boolean;
}

function patternMatcher(pattern: string): PatternMatcher {
  const negated = pattern.startsWith('!');
  const glob = negated ? pattern.slice(1) : pattern;
  if (!/[*?]/.test(glob)) {
    // Most entries name a host outright: a case-insensitive comparison, as the glob would be.
    const lower = glob.toLowerCase();
    return { negated, test: (name) => name.toLowerCase() === lower };
  }
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${body}$`, 'i');
  return { negated, test: (name) => re.test(name) };
}

/** Matchers by entry; the entries themselves are cached per file version by their reader. */
const matchersOf = new WeakMap<KnownHostsEntry, PatternMatcher[]>();

export function entryMatches(entry: KnownHostsEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hosts.kind === 'hashed') {
    const digest = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return digest.equals(entry.hosts.hash);
  }
  let matchers = matchersOf.get(entry);
  if (!matchers) matchersOf.set(entry, (matchers = entry.hosts.patterns.map(patternMatcher)));
  let matched = false;
  for (const m of matchers) {
    if (m.test(name)) {
      if (m.negated) return false;
      matched = true;
    }
  }
  return matched;
}
