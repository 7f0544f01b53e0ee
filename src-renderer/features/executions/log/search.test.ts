import { describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer';
import { LogSearch, matchRanges } from './search';

describe('LogSearch', () => {
  it('finds lines case-insensitively, ignoring colours, and resumes after appends', () => {
    const b = new LineBuffer();
    b.append('ok\n\x1b[31mERROR\x1b[0m one\nfine\n', 'stdout');
    const s = new LogSearch(b, 'error');
    expect(s.scan()).toBe(true);
    expect(s.count).toBe(1);
    expect(s.at(0)).toBe(1);
    b.append('another error\nerr', 'stdout');
    s.scan();
    expect(s.count).toBe(2);
    b.append('or at the end', 'stdout');
    s.scan();
    expect(s.count).toBe(3);
    expect(s.at(2)).toBe(4);
  });

  it('finds the first match from a line, wrapping around', () => {
    const b = new LineBuffer();
    b.append('x\nhit\nx\nhit\nx\n', 'stdout');
    const s = new LogSearch(b, 'hit');
    s.scan();
    expect(s.indexFrom(0)).toBe(0);
    expect(s.indexFrom(2)).toBe(1);
    expect(s.indexFrom(4)).toBe(0);
  });

  it('scans in slices', () => {
    const b = new LineBuffer();
    b.append('a\n'.repeat(10) + 'b\n', 'stdout');
    const s = new LogSearch(b, 'b');
    expect(s.scan(5)).toBe(false);
    expect(s.scan(5)).toBe(false);
    expect(s.scan(5)).toBe(true);
    expect(s.count).toBe(1);
  });
});

describe('matchRanges', () => {
  it('returns every hit', () => {
    expect(matchRanges('abcABCabc', 'bc')).toEqual([
      [1, 3],
      [4, 6],
      [7, 9],
    ]);
  });
});
