import type { Db } from '../../store/db';
import { knownHostKeys } from '../../store/known-host-queries';
import { entryMatches, type KnownHostsEntry } from './known-hosts-file';
import { keyTypeOf, sha256Fingerprint } from './fingerprint';

export type HostKeyVerdict =
  | { status: 'known'; keyType: string; fingerprint: string }
  | { status: 'unknown'; keyType: string; fingerprint: string }
  | { status: 'changed'; keyType: string; fingerprint: string; expected: string[]; where: string }
  | { status: 'revoked'; keyType: string; fingerprint: string; where: string };

interface TrustedKey {
  keyType: string;
  key: Buffer;
  where: string;
}

/** The keys trusted for host:port: the app's own table first, then ~/.ssh/known_hosts. */
export class HostKeyBook {
  constructor(
    private readonly db: Db,
    private readonly fileEntries: readonly KnownHostsEntry[],
    private readonly filePath: string,
  ) {}

  /** One book serves one connection attempt: the key types offered and the check read the same trust once. */
  private readonly seen = new Map<string, TrustedKey[]>();

  private trusted(host: string, port: number): TrustedKey[] {
    const hit = this.seen.get(`${host}:${port}`);
    if (hit) return hit;
    const app = knownHostKeys(this.db, host, port).map((r) => ({ keyType: r.keyType, key: Buffer.from(r.key, 'base64'), where: 'Flowdeck known hosts' }));
    const file = this.fileEntries
      .filter((e) => e.marker === null && entryMatches(e, host, port))
      .map((e) => ({ keyType: e.keyType, key: e.key, where: `${this.filePath}:${e.line}` }));
    const all = [...app, ...file];
    this.seen.set(`${host}:${port}`, all);
    return all;
  }

  /** Key types already trusted, so the handshake asks for one of those first (as OpenSSH does). */
  knownTypes(host: string, port: number): string[] {
    return [...new Set(this.trusted(host, port).map((k) => k.keyType))];
  }

  check(host: string, port: number, key: Buffer): HostKeyVerdict {
    const keyType = keyTypeOf(key);
    const fingerprint = sha256Fingerprint(key);
    const revoked = this.fileEntries.find((e) => e.marker === '@revoked' && e.key.equals(key));
    if (revoked) return { status: 'revoked', keyType, fingerprint, where: `${this.filePath}:${revoked.line}` };
    const trusted = this.trusted(host, port);
    if (trusted.some((k) => k.key.equals(key))) return { status: 'known', keyType, fingerprint };
    if (trusted.length === 0) return { status: 'unknown', keyType, fingerprint };
    // Known under other keys: this is the man-in-the-middle case OpenSSH shouts about.
    return {
      status: 'changed',
      keyType,
      fingerprint,
      expected: trusted.map((k) => `${k.keyType} ${sha256Fingerprint(k.key)}`),
      where: [...new Set(trusted.map((k) => k.where))].join(', '),
    };
  }
}
