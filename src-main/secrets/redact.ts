/** What a secret becomes in a log or an error message. */
export const REDACTED = '***';

/**
 * Secrets shorter than this are not redacted. A 1-3 character "secret" occurs all over ordinary
 * output (a password `abc` would turn every "abc" of a log into ***), which would wreck the log
 * while protecting little: a secret that short is guessable anyway. Flowdeck's real secrets
 * (passwords, passphrases, private keys) are longer.
 */
export const MIN_SECRET_LENGTH = 4;

/** Half-open character range [start, end). */
export type Range = [number, number];

/** The secrets to look for, prepared once: longest first, and their first characters. */
export class SecretSet {
  readonly secrets: readonly string[];
  /** First characters of the secrets: most positions are ruled out by one lookup. */
  private readonly firstChars: ReadonlySet<number>;

  constructor(secrets: Iterable<string>) {
    const unique = new Set<string>();
    for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) unique.add(s);
    // Longest first, so `secrets[0]` bounds how much a stream may hold back.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
    this.firstChars = new Set(this.secrets.map((s) => s.charCodeAt(0)));
  }

  get empty(): boolean {
    return this.secrets.length === 0;
  }

  /** Ranges of `text` covered by an occurrence of any secret, merged, in order. */
  coveredRanges(text: string): Range[] {
    const ranges: Range[] = [];
    for (const s of this.secrets) {
      // Step by one, not by the secret's length, so overlapping occurrences (`aaaa` in `aaaaaa`) are all found.
      for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) ranges.push([i, i + s.length]);
    }
    return mergeRanges(ranges);
  }

  /** The earliest position whose suffix is a proper prefix of a secret (could complete with more text), else text.length. */
  holdBackFrom(text: string): number {
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

/** Sorts and merges overlapping ranges (touching ones stay apart, as two occurrences side by side). */
export function mergeRanges(ranges: Range[]): Range[] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** `text` with each range (relative to `text`, in order, not overlapping) replaced by `***`. */
export function replaceRanges(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Finds secrets in one text that arrives piece by piece, in absolute offsets from the start of
 * the text. After each piece it reports the occurrences that are settled and the offset before
 * which nothing can change any more: text from there on could still start or be part of a
 * secret that the next piece completes, so it must not be shown yet.
 */
export class OccurrenceScanner {
  /** The unsettled text, which starts at absolute offset `base`. */
  private window = '';
  private base = 0;

  constructor(private readonly set: SecretSet) {}

  /** Adds a piece; returns the newly settled occurrences and the offset up to which the text is settled. */
  push(piece: string): { ranges: Range[]; settled: number } {
    const text = this.window + piece;
    const found = this.set.coveredRanges(text);
    let cut = this.set.holdBackFrom(text);
    // An occurrence crossing the cut is held back whole, so it is hidden as one piece with
    // whatever the next piece adds (two overlapping secrets become one ***).
    for (let i = found.length - 1; i >= 0; i--) {
      const r = found[i];
      if (r && r[0] < cut && r[1] > cut) cut = r[0];
    }
    return this.settle(text, found, cut);
  }

  /** The text is complete: everything left is settled. */
  end(): { ranges: Range[]; settled: number } {
    const text = this.window;
    return this.settle(text, this.set.coveredRanges(text), text.length);
  }

  private settle(text: string, found: Range[], cut: number): { ranges: Range[]; settled: number } {
    const ranges: Range[] = [];
    for (const [a, b] of found) if (b <= cut) ranges.push([this.base + a, this.base + b]);
    this.window = text.slice(cut);
    this.base += cut;
    return { ranges, settled: this.base };
  }
}

/**
 * Replaces secrets with `***` in command output and messages (secrets are never written
 * to logs, redacted if a command echoes them). Every character that belongs to an occurrence of a
 * secret is hidden; overlapping or nested occurrences become one `***`.
 *
 * For a stream, call `redactChunk` per chunk and `flush` at the end: a secret split across chunks
 * is still caught because the tail of a chunk that could be the start of a secret (at most the
 * longest secret's length - 1 characters) is held back and emitted with the next chunk. A tail
 * that cannot start a secret is not held, so ordinary output passes through with no delay, and
 * with no secrets at all a chunk is returned unchanged. Several streams that a reader sees
 * interleaved (a command's stdout and stderr) need `InterleavedRedactor` instead.
 */
export class Redactor {
  private readonly set: SecretSet;
  private scanner: OccurrenceScanner;
  /** Text received but not yet emitted (from absolute offset `emitted`). */
  private pending = '';
  private emitted = 0;

  constructor(secrets: Iterable<string>) {
    this.set = new SecretSet(secrets);
    this.scanner = new OccurrenceScanner(this.set);
  }

  /** True when there is something to redact (no secret of at least MIN_SECRET_LENGTH means a no-op). */
  get active(): boolean {
    return !this.set.empty;
  }

  /** One-shot redaction of a complete string (an error message, a stored result); leaves the stream state alone. */
  redactAll(text: string): string {
    if (this.set.empty || text === '') return text;
    return replaceRanges(text, this.set.coveredRanges(text));
  }

  /** The redacted text that is safe to emit now; a possible start of a secret is kept for the next call. */
  redactChunk(chunk: string): string {
    if (this.set.empty) return chunk;
    this.pending += chunk;
    return this.emit(this.scanner.push(chunk));
  }

  /** The rest of the stream, redacted; the redactor is then ready for a new stream. */
  flush(): string {
    if (this.set.empty) return '';
    const out = this.emit(this.scanner.end());
    this.scanner = new OccurrenceScanner(this.set);
    this.pending = '';
    this.emitted = 0;
    return out;
  }

  private emit({ ranges, settled }: { ranges: Range[]; settled: number }): string {
    const n = settled - this.emitted;
    const out = replaceRanges(
      this.pending.slice(0, n),
      ranges.map(([a, b]) => [a - this.emitted, b - this.emitted] as const),
    );
    this.pending = this.pending.slice(n);
    this.emitted = settled;
    return out;
  }
}
