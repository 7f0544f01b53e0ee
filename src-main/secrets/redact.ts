/** What a secret becomes in a log or an error message. */
export const REDACTED = '***';

/**
 * Secrets shorter than this are not redacted. A 1-3 character "secret" occurs all over ordinary
 * output (a password `abc` would turn every "abc" of a log into ***), which would wreck the log
 * while protecting little: a secret that short is guessable anyway. Flowdeck's real secrets
 * (passwords, passphrases, private keys) are longer.
 */
export const MIN_SECRET_LENGTH = 4;

/** Half-open ranges [start, end) of `text` covered by an occurrence of any secret, merged, in order. */
function coveredRanges(text: string, secrets: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const s of secrets) {
    // Step by one, not by the secret's length, so overlapping occurrences (`aaaa` in `aaaaaa`) are all found.
    for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) ranges.push([i, i + s.length]);
  }
  if (ranges.length === 0) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function replaceRanges(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Replaces secrets with `***` in command output and messages (SPEC 8: secrets are never written
 * to logs, redacted if a command echoes them). Every character that belongs to an occurrence of a
 * secret is hidden; overlapping or nested occurrences become one `***`.
 *
 * For a stream, call `redactChunk` per chunk and `flush` at the end: a secret split across chunks
 * is still caught because the tail of a chunk that could be the start of a secret (at most the
 * longest secret's length - 1 characters) is held back and emitted with the next chunk. A tail
 * that cannot start a secret is not held, so ordinary output passes through with no delay, and
 * with no secrets at all a chunk is returned unchanged.
 */
export class Redactor {
  private readonly secrets: readonly string[];
  /** First characters of the secrets: most positions are ruled out by one lookup. */
  private readonly firstChars: ReadonlySet<number>;
  private pending = '';

  constructor(secrets: Iterable<string>) {
    const unique = new Set<string>();
    for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) unique.add(s);
    // Longest first, so `secrets[0]` bounds how much a chunk may hold back.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
    this.firstChars = new Set(this.secrets.map((s) => s.charCodeAt(0)));
  }

  /** True when there is something to redact (no secret of at least MIN_SECRET_LENGTH means a no-op). */
  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** One-shot redaction of a complete string (an error message, a stored result); leaves the stream state alone. */
  redactAll(text: string): string {
    if (this.secrets.length === 0 || text === '') return text;
    return replaceRanges(text, coveredRanges(text, this.secrets));
  }

  /** The redacted text that is safe to emit now; a possible start of a secret is kept for the next call. */
  redactChunk(chunk: string): string {
    if (this.secrets.length === 0) return chunk;
    const text = this.pending + chunk;
    const ranges = coveredRanges(text, this.secrets);
    let cut = this.holdBackFrom(text);
    // A found occurrence crossing the cut is held back whole, so it is redacted as one piece
    // with whatever the next chunk adds (two overlapping secrets become one ***).
    for (let i = ranges.length - 1; i >= 0; i--) {
      const r = ranges[i];
      if (r && r[0] < cut && r[1] > cut) cut = r[0];
    }
    this.pending = text.slice(cut);
    return replaceRanges(
      text.slice(0, cut),
      ranges.filter((r) => r[1] <= cut),
    );
  }

  /** The rest of the stream, redacted; the redactor is then ready for a new stream. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.redactAll(rest);
  }

  /** The earliest position whose suffix is a proper prefix of a secret (could complete with the next chunk), else text.length. */
  private holdBackFrom(text: string): number {
    const longest = this.secrets[0]?.length ?? 0;
    for (let p = Math.max(0, text.length - (longest - 1)); p < text.length; p++) {
      if (!this.firstChars.has(text.charCodeAt(p))) continue;
      const tail = text.slice(p);
      for (const s of this.secrets) {
        if (s.length > tail.length && s.startsWith(tail)) return p;
      }
    }
    return text.length;
  }
}
