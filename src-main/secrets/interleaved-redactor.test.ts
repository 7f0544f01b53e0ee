import { describe, expect, it } from 'vitest';
import { InterleavedRedactor, type RedactedPiece } from './interleaved-redactor';
import { MIN_SECRET_LENGTH, mergeRanges, REDACTED, replaceRanges, SecretSet, type Range } from './redact';

type Stream = 'stdout' | 'stderr';
type Write = [Stream, string];

/** Feeds the writes, ends, and returns what each stream got (and the pieces in the order they came out). */
function feed(r: InterleavedRedactor<Stream>, writes: readonly Write[]): { stdout: string; stderr: string; pieces: Array<RedactedPiece<Stream>> } {
  const pieces = [...writes.flatMap(([s, t]) => r.write(s, t)), ...r.end()];
  const of = (s: Stream): string =>
    pieces
      .filter((p) => p.stream === s)
      .map((p) => p.text)
      .join('');
  return { stdout: of('stdout'), stderr: of('stderr'), pieces };
}

/**
 * What the streams must show, computed on the whole texts at once: a character is hidden when
 * an occurrence of a secret covers it in its own stream or in the text interleaved in write order.
 */
function expected(secrets: string[], writes: readonly Write[]): { stdout: string; stderr: string } {
  const set = new SecretSet(secrets);
  const text = { stdout: '', stderr: '' };
  const hidden: Record<Stream, Range[]> = { stdout: [], stderr: [] };
  const map: Array<{ stream: Stream; offset: number }> = [];
  for (const [s, t] of writes) {
    for (let i = 0; i < t.length; i++) map.push({ stream: s, offset: text[s].length + i });
    text[s] += t;
  }
  for (const s of ['stdout', 'stderr'] as const) hidden[s].push(...set.coveredRanges(text[s]));
  for (const [a, b] of set.coveredRanges(writes.map(([, t]) => t).join(''))) {
    for (const s of ['stdout', 'stderr'] as const) {
      const mine = map.slice(a, b).filter((m) => m.stream === s);
      const first = mine[0];
      const last = mine[mine.length - 1];
      if (first && last) hidden[s].push([first.offset, last.offset + 1]);
    }
  }
  return {
    stdout: replaceRanges(text.stdout, mergeRanges(hidden.stdout)),
    stderr: replaceRanges(text.stderr, mergeRanges(hidden.stderr)),
  };
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('InterleavedRedactor', () => {
  const secret = 'correct-horse-battery';

  it('hides a secret written half to stdout and half to stderr, at every split', () => {
    for (let i = 1; i < secret.length; i++) {
      const out = feed(new InterleavedRedactor([secret]), [
        ['stdout', `pw: ${secret.slice(0, i)}`],
        ['stderr', `${secret.slice(i)}\n`],
      ]);
      expect(out.stdout, `split at ${i}`).toBe(`pw: ${REDACTED}`);
      expect(out.stderr, `split at ${i}`).toBe(`${REDACTED}\n`);
      // No piece that came out holds a 4+ character part of the secret.
      for (const p of out.pieces) {
        for (let k = 0; k + MIN_SECRET_LENGTH <= secret.length; k++) expect(p.text).not.toContain(secret.slice(k, k + MIN_SECRET_LENGTH));
      }
    }
  });

  it('hides a secret written to one stream in pieces while the other stream writes in between', () => {
    const out = feed(new InterleavedRedactor([secret]), [
      ['stdout', 'a correct-'],
      ['stderr', 'warning: slow\n'],
      ['stdout', 'horse-battery!\n'],
    ]);
    expect(out).toMatchObject({ stdout: `a ${REDACTED}!\n`, stderr: 'warning: slow\n' });
  });

  it('holds back nothing that cannot become a secret, and emits the pieces in arrival order', () => {
    const r = new InterleavedRedactor<Stream>([secret]);
    expect(r.write('stdout', 'line one\n')).toEqual([{ stream: 'stdout', text: 'line one\n' }]);
    expect(r.write('stdout', 'ends with corr')).toEqual([{ stream: 'stdout', text: 'ends with ' }]);
    // stderr rules out the interleaved "corr" + "oded" but stdout alone could still go on: held.
    expect(r.write('stderr', 'oded\n')).toEqual([{ stream: 'stderr', text: 'oded\n' }]);
    expect(r.write('stdout', 'upted\n')).toEqual([{ stream: 'stdout', text: 'corrupted\n' }]);
    expect(r.end()).toEqual([]);
  });

  it('holds the other stream back while the interleaved text could still become a secret', () => {
    const r = new InterleavedRedactor<Stream>([secret]);
    expect(r.write('stderr', 'x corr')).toEqual([{ stream: 'stderr', text: 'x ' }]);
    expect(r.write('stdout', 'ect-horse-')).toEqual([]);
    expect(r.write('stdout', 'pony')).toEqual([{ stream: 'stdout', text: 'ect-horse-pony' }]);
    // stderr alone could still go on with "ect-horse-battery": its tail waits for its own next chunk or the end.
    expect(r.end()).toEqual([{ stream: 'stderr', text: 'corr' }]);
  });

  it('passes everything through at once when there are no secrets', () => {
    const r = new InterleavedRedactor<Stream>(['abc']);
    expect(r.active).toBe(false);
    expect(r.write('stdout', 'abc')).toEqual([{ stream: 'stdout', text: 'abc' }]);
    expect(r.write('stderr', '')).toEqual([]);
    expect(r.end()).toEqual([]);
  });

  it('is ready for new streams after end', () => {
    const r = new InterleavedRedactor<Stream>([secret]);
    expect(feed(r, [['stdout', 'correct-']]).stdout).toBe('correct-');
    expect(feed(r, [['stderr', secret]]).stderr).toBe(REDACTED);
  });

  it('matches whole-text redaction for random secrets, interleavings and chunkings', () => {
    const rand = prng(7);
    const alphabet = 'abcd \n';
    const secrets = ['abca', 'cabd', 'dddd', 'abcabcab', 'bcd\nab'];
    for (let round = 0; round < 400; round++) {
      const writes: Write[] = [];
      const n = Math.floor(rand() * 14);
      for (let i = 0; i < n; i++) {
        let t = '';
        const len = Math.floor(rand() * 9);
        for (let k = 0; k < len; k++) {
          t += rand() < 0.08 ? (secrets[Math.floor(rand() * secrets.length)] ?? '') : alphabet[Math.floor(rand() * alphabet.length)];
        }
        writes.push([rand() < 0.5 ? 'stdout' : 'stderr', t]);
      }
      const got = feed(new InterleavedRedactor(secrets), writes);
      expect({ stdout: got.stdout, stderr: got.stderr }, JSON.stringify(writes)).toEqual(expected(secrets, writes));
    }
  });
});
