import { describe, expect, it } from 'vitest';
import { contextNestingProblem, expandedDepth } from './context-nesting';
import { parseInventory } from './detect';

describe('expandedDepth', () => {
  it('counts each dotted part of a key as a mapping', () => {
    expect(expandedDepth(1)).toBe(0);
    expect(expandedDepth({ a: 1 })).toBe(1);
    expect(expandedDepth({ 'a.b.c': 1 })).toBe(3);
    expect(expandedDepth({ 'a.b': { c: [1, { d: 2 }] } })).toBe(5);
    expect(expandedDepth({ '..': 1 })).toBe(1);
  });

  it('stops counting past the limit', () => {
    expect(expandedDepth({ [Array(100_000).fill('a').join('.')]: 1 }, 64)).toBe(100_000);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(expandedDepth(deep as never, 64)).toBe(65);
  });
});

describe('contextNestingProblem in imports', () => {
  const key = Array(70).fill('k').join('.');

  it('refuses a dotted key that expands past 64 levels, in any format', () => {
    expect(contextNestingProblem({ profiles: [], groups: [], elements: [] })).toBeNull();
    expect(() => parseInventory(`[web]\nh1\n[web:vars]\n${key}=1\n`, 'inv.ini')).toThrow(
      expect.objectContaining({
        message: 'group "web": vars key "k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k...." nests deeper than 64 levels once its dotted parts are expanded; Flowdeck reads at most 64',
        location: { file: 'inv.ini' },
      }),
    );
    expect(() => parseInventory(`elements:\n  - id: e\n    name: e\n    host: h\n    context:\n      ? ${key}\n      : 1\n`, 'inv.yaml')).toThrow(/^element "e": context key "k\.k/);
  });

  it('takes 64 levels', () => {
    expect(parseInventory(`[web]\nh1\n[web:vars]\n${Array(64).fill('k').join('.')}=1\n`, 'inv.ini').groups[0]?.vars).toBeDefined();
  });
});
