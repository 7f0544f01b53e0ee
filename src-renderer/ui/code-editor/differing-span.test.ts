import { describe, expect, it } from 'vitest';
import { differingSpan } from './differing-span';

const apply = (s: string, c: { from: number; to: number; insert: string }): string => s.slice(0, c.from) + c.insert + s.slice(c.to);

describe('differingSpan', () => {
  it.each([
    ['abc', 'abc'],
    ['abc', 'abXc'],
    ['steps:\n  - run: a\n', 'steps:\n  - run: b\n'],
    ['', 'new'],
    ['old', ''],
    ['aaaa', 'aa'],
  ])('%j -> %j', (a, b) => {
    const c = differingSpan(a, b);
    expect(apply(a, c)).toBe(b);
    expect(c.insert.length).toBeLessThanOrEqual(b.length);
  });

  it('touches only the middle', () => {
    expect(differingSpan('id: x\nname: old\nmode: serial\n', 'id: x\nname: new\nmode: serial\n')).toEqual({ from: 12, to: 15, insert: 'new' });
  });
});
