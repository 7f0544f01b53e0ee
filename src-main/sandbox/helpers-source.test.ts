import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { helpersSourceFor } from './helpers-source';
import { loadSandboxCore, type SandboxCore } from './core';

let sandbox: SandboxCore;
beforeAll(async () => {
  ({ core: sandbox } = await loadSandboxCore());
});

function evaluate(expression: string, vars: Record<string, JsonValue> = {}): JsonValue | undefined {
  return sandbox.evaluate(expression, vars, { name: 'helpers' });
}

const list = [
  { id: 'a', k: 2 },
  { id: 'b', k: 1 },
  { id: 'c', k: 2 },
  { id: 'd', k: 1 },
  { id: 'e', k: 3 },
];

describe('order_flow_elements', () => {
  it('sorts stably, ascending', () => {
    expect(evaluate('order_flow_elements(list, x => x.k).map(x => x.id).join("")', { list })).toBe('bdace');
  });

  it('sorts stably in reverse: equal keys keep their order', () => {
    expect(evaluate('order_flow_elements(list, x => x.k, true).map(x => x.id).join("")', { list })).toBe('eacbd');
  });

  it('sorts in place and returns the same list', () => {
    expect(evaluate('order_flow_elements(list, x => -x.k) === list && list[0].id', { list })).toBe('e');
  });

  it('compares numbers as numbers, strings as strings, numbers before strings', () => {
    const keys = [10, 'b', 9, 'a', 100, '10'];
    expect(evaluate('order_flow_elements(keys.slice(), x => x)', { keys })).toEqual([9, 10, 100, '10', 'a', 'b']);
    expect(evaluate('order_flow_elements(keys.slice(), x => x, true)', { keys })).toEqual(['b', 'a', '10', 100, 10, 9]);
  });

  it('treats booleans as 0/1 and puts keyless elements last', () => {
    const items: JsonValue = [{ id: 'x' }, { id: 'm', master: true }, { id: 'r', master: false }];
    expect(evaluate('order_flow_elements(items, e => e.master).map(e => e.id)', { items })).toEqual(['r', 'm', 'x']);
  });

  it('explains wrong arguments', () => {
    expect(() => evaluate('order_flow_elements(5, x => x)')).toThrow(/list must be an array/);
    expect(() => evaluate('order_flow_elements([], "k")')).toThrow(/keyFn must be a function/);
  });
});

describe('filter_flow_elements', () => {
  it('keeps matching elements in place and returns the same list', () => {
    expect(evaluate('[filter_flow_elements(list, x => x.k !== 2) === list, list.map(x => x.id).join("")]', { list })).toEqual([true, 'bde']);
  });

  it('explains wrong arguments', () => {
    expect(() => evaluate('filter_flow_elements(list)', { list })).toThrow(/predicate must be a function/);
  });
});

describe('shq', () => {
  it('quotes strings for a POSIX shell', () => {
    expect(evaluate("shq(\"it's\")")).toBe("'it'\\''s'");
    expect(evaluate("shq('')")).toBe("''");
    expect(evaluate("shq('$(rm -rf /) `x` \"y\"')")).toBe("'$(rm -rf /) `x` \"y\"'");
  });

  it('writes numbers as they are and quotes each item of an array', () => {
    expect(evaluate('shq(5432)')).toBe('5432');
    expect(evaluate("shq(['a b', 1])")).toBe("'a b' 1");
  });

  it('refuses values with no shell form', () => {
    expect(() => evaluate('shq(undefined)')).toThrow(/shq\(x\): x must be/);
    expect(() => evaluate('shq({})')).toThrow(/not object/);
  });
});

describe('helpersSourceFor', () => {
  it('includes only the helpers the code names', () => {
    expect(helpersSourceFor('current === last')).toBe('');
    expect(helpersSourceFor('shq(x)')).toContain('function shq');
    expect(helpersSourceFor('shq(x)')).not.toContain('order_flow_elements');
  });
});
