import { describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer';

describe('LineBuffer', () => {
  it('splits chunks incrementally, joining a line cut between chunks', () => {
    const b = new LineBuffer();
    b.append('one\ntw', 'stdout', 1);
    expect(b.length).toBe(2);
    expect(b.complete).toBe(1);
    expect(b.line(1)).toBe('tw');
    b.append('o\nthree\n', 'stdout', 2);
    expect(b.length).toBe(3);
    expect([b.line(0), b.line(1), b.line(2)]).toEqual(['one', 'two', 'three']);
    expect(b.timeOf(1)).toBe(1);
    expect(b.timeOf(2)).toBe(2);
  });

  it('drops the CR of CRLF line ends and keeps streams per line', () => {
    const b = new LineBuffer();
    b.append('out\r\n', 'stdout');
    b.append('err\n', 'stderr');
    b.append('sys', 'system');
    expect(b.line(0)).toBe('out');
    expect([b.streamOf(0), b.streamOf(1), b.streamOf(2)]).toEqual(['stdout', 'stderr', 'system']);
  });

  it('knows the colour a line starts in', () => {
    const b = new LineBuffer();
    b.append('\x1b[31mred starts\nstill red\n\x1b[0mplain\n', 'stdout');
    expect(b.startState(0).fg).toBeNull();
    expect(b.startState(1).fg).toBe(31);
    expect(b.startState(2).fg).toBe(31);
    expect(b.startState(3).fg).toBeNull();
  });

  it('gives the whole text back for download', () => {
    const b = new LineBuffer();
    b.append('a\nb\nc', 'stdout');
    expect(b.blobParts().join('')).toBe('a\nb\nc');
  });

  it('holds a million lines appended in chunks', () => {
    const b = new LineBuffer();
    const chunk = Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    for (let i = 0; i < 100; i++) b.append(chunk, 'stdout');
    expect(b.length).toBe(1_000_000);
    expect(b.line(999_999)).toBe('line 9999');
  });
});
