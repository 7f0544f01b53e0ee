import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, Redactor } from './redact';
import { redactionStrings } from './credential-redaction';

/** Feeds chunks through a fresh stream and returns everything emitted, flush included. */
function stream(r: Redactor, chunks: readonly string[]): { out: string; emitted: string[] } {
  const emitted = chunks.map((c) => r.redactChunk(c));
  emitted.push(r.flush());
  return { out: emitted.join(''), emitted };
}

/** A small deterministic PRNG so a failing case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Redactor', () => {
  it('redacts a one-shot string', () => {
    const r = new Redactor(['hunter22']);
    expect(r.redactAll('pw=hunter22; again hunter22.')).toBe(`pw=${REDACTED}; again ${REDACTED}.`);
  });

  it('redacts a secret split at every position across two chunks', () => {
    const secret = 'correct-horse-battery';
    for (let i = 0; i <= secret.length; i++) {
      const r = new Redactor([secret]);
      const { out, emitted } = stream(r, [`before ${secret.slice(0, i)}`, `${secret.slice(i)} after`]);
      expect(out, `split at ${i}`).toBe(`before ${REDACTED} after`);
      // No emitted piece holds any 4+ character part of the secret.
      for (const piece of emitted) {
        for (let k = 0; k + MIN_SECRET_LENGTH <= secret.length; k++) expect(piece).not.toContain(secret.slice(k, k + MIN_SECRET_LENGTH));
      }
    }
  });

  it('redacts a secret spread one character per chunk', () => {
    const secret = 's3cr3t-value';
    const r = new Redactor([secret]);
    expect(stream(r, ['x', ...secret.split(''), 'y']).out).toBe(`x${REDACTED}y`);
  });

  it('redacts a secret split across three chunks at every pair of positions', () => {
    const secret = 'abcdefgh';
    for (let i = 0; i <= secret.length; i++) {
      for (let j = i; j <= secret.length; j++) {
        const r = new Redactor([secret]);
        const out = stream(r, ['<' + secret.slice(0, i), secret.slice(i, j), secret.slice(j) + '>']).out;
        expect(out, `split at ${i},${j}`).toBe(`<${REDACTED}>`);
      }
    }
  });

  it('hides every character of overlapping secrets, as one ***', () => {
    const r = new Redactor(['abcdef', 'defghi']);
    expect(r.redactAll('x abcdefghi y')).toBe(`x ${REDACTED} y`);
    // A secret inside another one.
    const nested = new Redactor(['password123', 'word']);
    expect(nested.redactAll('a password123 and a word')).toBe(`a ${REDACTED} and a ${REDACTED}`);
    // A secret overlapping itself.
    expect(new Redactor(['aaaa']).redactAll('baaaaaab')).toBe(`b${REDACTED}b`);
    // Streamed too, at every split.
    const text = 'x abcdefghi y';
    for (let i = 0; i <= text.length; i++) {
      const s = new Redactor(['abcdef', 'defghi']);
      expect(stream(s, [text.slice(0, i), text.slice(i)]).out, `split at ${i}`).toBe(`x ${REDACTED} y`);
    }
  });

  it('waits for a longer secret that shares its start with a shorter one', () => {
    const r = new Redactor(['abcd', 'abcdefgh']);
    const first = r.redactChunk('go abcdef');
    expect(first).toBe('go ');
    expect(r.redactChunk('gh!') + r.flush()).toBe(`${REDACTED}!`);
    const r2 = new Redactor(['abcd', 'abcdefgh']);
    expect(stream(r2, ['go abcdef', 'XY']).out).toBe(`go ${REDACTED}efXY`);
  });

  it('keeps nothing back and changes nothing when there are no secrets', () => {
    const r = new Redactor([]);
    expect(r.active).toBe(false);
    for (const chunk of ['hello ', 'world', '\n', '']) expect(r.redactChunk(chunk)).toBe(chunk);
    expect(r.flush()).toBe('');
    expect(r.redactAll('anything')).toBe('anything');
  });

  it('keeps nothing back when the tail cannot start a secret', () => {
    const r = new Redactor(['hunter22']);
    expect(r.redactChunk('line one\n')).toBe('line one\n');
    expect(r.redactChunk('ends with hun')).toBe('ends with ');
    expect(r.redactChunk('gry\n')).toBe('hungry\n');
    expect(r.flush()).toBe('');
  });

  it('emits a held-back tail at flush when the stream ends mid-candidate', () => {
    const r = new Redactor(['hunter22']);
    expect(r.redactChunk('last word: hunt')).toBe('last word: ');
    expect(r.flush()).toBe('hunt');
    // And is ready for a new stream.
    expect(r.redactChunk('ok')).toBe('ok');
  });

  it('ignores empty and short secrets (< 4 characters)', () => {
    const r = new Redactor(['', 'a', 'ab', 'abc']);
    expect(r.active).toBe(false);
    expect(r.redactAll('a cab abc')).toBe('a cab abc');
    expect(new Redactor(['abcd']).redactAll('abcd')).toBe(REDACTED);
  });

  it('redacts secrets with regex characters and newlines literally', () => {
    const r = new Redactor(['a.b*c$', 'line1\nline2']);
    expect(r.redactAll('a.b*c$ axbbc line1\nline2')).toBe(`${REDACTED} axbbc ${REDACTED}`);
  });

  it('streams to the same result as one-shot redaction, for random texts and chunkings', () => {
    const rand = prng(42);
    const alphabet = 'abcd \n';
    const secrets = ['abca', 'cabd', 'dddd', 'abcabcab', 'bcd\nab'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const len = Math.floor(rand() * 80);
      for (let i = 0; i < len; i++) {
        text += rand() < 0.1 ? (secrets[Math.floor(rand() * secrets.length)] ?? '') : alphabet[Math.floor(rand() * alphabet.length)];
      }
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const n = Math.floor(rand() * 7);
        chunks.push(text.slice(at, at + n));
        at += n;
      }
      const expected = new Redactor(secrets).redactAll(text);
      expect(stream(new Redactor(secrets), chunks).out, JSON.stringify({ text, chunks })).toBe(expected);
    }
  });
});

describe('redactionStrings', () => {
  it('lists the password, the passphrase, the key and its body lines, not its armour', () => {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbodyline1\r\nBBBBbodyline2\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(redactionStrings({ kind: 'key', privateKey, passphrase: 'pass phrase' })).toEqual(['pass phrase', privateKey, 'AAAAbodyline1', 'BBBBbodyline2']);
    expect(redactionStrings({ kind: 'password', password: 'hunter22' })).toEqual(['hunter22']);
    expect(redactionStrings({ kind: 'agent' })).toEqual([]);
  });
});
