import { beforeAll, describe, expect, it } from 'vitest';
import { varsNamedIn } from './expressions';
import { loadSandboxCore, type SandboxCore } from './core';
import { failure } from './test-support';

let sandbox: SandboxCore;
beforeAll(async () => {
  ({ core: sandbox } = await loadSandboxCore());
});

const element = { id: 'pg1', name: 'PG1', host: 'pg1', groups: ['db'], profile: null, context: { role: 'master', port: 5432 } };

function evaluate(expression: string, vars: Parameters<SandboxCore['evaluate']>[1] = {}): unknown {
  return sandbox.evaluate(expression, vars, { name: 'when' });
}


describe('evaluate', () => {
  it('answers `when`-style booleans', () => {
    expect(evaluate('current === last', { current: 3, last: 3 })).toBe(true);
    expect(evaluate('current === last', { current: 2, last: 3 })).toBe(false);
    expect(evaluate("element.context.role === 'master' && current !== first", { element, current: 2, first: 1 })).toBe(true);
  });

  it('returns JSON values as JSON sees them', () => {
    expect(evaluate('({ a: [1, "x", null], f: () => 1, u: undefined })')).toEqual({ a: [1, 'x', null] });
    expect(evaluate('[1, undefined, () => 1]')).toEqual([1, null, null]);
    expect(evaluate('"text"')).toBe('text');
    expect(evaluate('undefined')).toBeUndefined();
    expect(evaluate('() => 1')).toBeUndefined();
    expect(evaluate('null')).toBeNull();
  });

  it('defines variables given as undefined instead of failing on them', () => {
    expect(evaluate('parent === undefined', { parent: undefined })).toBe(true);
  });

  it('copies variables in, so the caller never sees changes', () => {
    const vars = { element: structuredClone(element) };
    evaluate("(element.context.role = 'changed', 1)", vars);
    expect(vars.element.context.role).toBe('master');
  });

  it('gives each call a fresh context', () => {
    evaluate('(globalThis.leak = 1, Object.prototype.polluted = true, 1)');
    expect(evaluate('[typeof leak, ({}).polluted === undefined]')).toEqual(['undefined', true]);
  });

  it('provides the helpers', () => {
    const elements = [element, { ...element, id: 'pg2', context: { role: 'replica', port: 5433 } }];
    expect(evaluate("order_flow_elements(elements, e => e.context.role === 'master' ? 1 : 0).map(e => e.id)", { elements })).toEqual([
      'pg2',
      'pg1',
    ]);
    expect(evaluate("filter_flow_elements(elements, e => e.context.port > 5432).map(e => e.id)", { elements })).toEqual(['pg2']);
    expect(evaluate("shq(\"it's\")")).toBe("'it'\\''s'");
  });

  it('has Date, Map and Set but no way out', () => {
    expect(evaluate('[typeof Date.now(), typeof new Map(), typeof new Set()]')).toEqual(['number', 'object', 'object']);
    expect(evaluate('[typeof require, typeof process, typeof fetch, typeof setTimeout]')).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('forgives a trailing semicolon and a trailing comment', () => {
    expect(evaluate('current === last;', { current: 1, last: 1 })).toBe(true);
    expect(evaluate('current === last // the last one', { current: 1, last: 1 })).toBe(true);
  });

  it('rejects an empty expression', () => {
    expect(failure(() => evaluate('  ')).message).toBe('the expression is empty');
  });
});

describe('evaluate errors', () => {
  it('reports an undefined variable where it is', () => {
    const error = failure(() => evaluate('current === lst', { current: 1, last: 1 }));
    expect(error.code).toBe('script-error');
    expect(error.message).toBe('ReferenceError: lst is not defined');
    expect(error.location).toEqual({ file: 'when', line: 1, column: 13 });
  });

  it('reports a syntax error where it is', () => {
    const error = failure(() => evaluate('current ==\n  = last'));
    expect(error.message).toMatch(/^SyntaxError: /);
    expect(error.location).toEqual({ file: 'when', line: 2, column: 3 });
  });

  it('reports an unfinished expression', () => {
    const error = failure(() => evaluate('current === '));
    expect(error.message).toBe('SyntaxError: Unexpected end of input');
  });

  it('adds the Python hint to a Python-looking expression', () => {
    const error = failure(() => evaluate('current == last and element.context.role == "master"', { current: 1, last: 1, element }));
    expect(error.message).not.toContain('Python');
    const pythonic = failure(() => evaluate('element.context.primary == True', { element }));
    expect(pythonic.message).toContain('`true/false/null` instead of `True/False/None`');
  });

  it('stops an endless loop within its limit and keeps working', () => {
    const started = performance.now();
    const error = failure(() => evaluate('(() => { for (;;) {} })()'));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('script-timeout');
    expect(error.message).toBe("expression 'when' ran longer than 250 ms (endless loop?)");
    expect(evaluate('1 + 1')).toBe(2);
  });

  it('counts time spent in the getters of a thrown object', () => {
    const error = failure(() => evaluate('(() => { throw { get message() { for (;;) {} } } })()'));
    expect(error.code).toBe('script-timeout');
    expect(evaluate('1 + 1')).toBe(2);
  });

  it('stops a runaway allocation and keeps working', () => {
    const error = failure(() => evaluate('(() => { const a = []; for (;;) a.push(new Array(1e6).fill(1)) })()'));
    expect(error.code).toBe('script-memory');
    expect(error.message).toContain('16 MiB');
    expect(evaluate('1 + 1')).toBe(2);
  });

  it('has no async (nothing would run its jobs) and recovers from trying', () => {
    expect(failure(() => evaluate('((async () => { await null; for (;;) {} })(), 1)')).code).toBe('script-error');
    expect(evaluate('3')).toBe(3);
  });

  it('names async code clearly: an async result, a pending job, import()', () => {
    for (const code of ['(async () => true)()', 'Promise.resolve(1)', '(Promise.resolve(1).then(() => 2), 1)', 'import("fs")']) {
      const error = failure(() => evaluate(code));
      expect(error.code).toBe('script-error');
      expect(error.message).toMatch(/async code .* not supported/);
    }
    expect(evaluate('4')).toBe(4);
  });
});

describe('varsNamedIn', () => {
  it('copies in only what the code names', () => {
    expect(Object.keys(varsNamedIn('current === last', { current: 1, last: 2, elements: [], element: null }))).toEqual([
      'current',
      'last',
    ]);
  });
});
