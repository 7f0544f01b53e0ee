import { beforeAll, describe, expect, it } from 'vitest';
import type { ScriptElement } from '../../src-shared/domain/inventory';
import { loadSandboxCore, type SandboxCore } from './core';
import { failure } from './test-support';

function element(id: string, groups: string[], role: string): ScriptElement {
  return { id, name: id.toUpperCase(), host: `${id}.example.com`, groups, profile: null, context: { patroni_leader: role } };
}

const elements: ScriptElement[] = [
  element('pg1', ['db', 'patroni'], 'master'),
  element('web1', ['web'], 'none'),
  element('pg2', ['db', 'patroni'], 'replica'),
  element('pg3', ['db', 'patroni'], 'replica'),
];

let sandbox: SandboxCore;
beforeAll(async () => {
  ({ core: sandbox } = await loadSandboxCore());
});

function ids(script: string, params: Record<string, string> = {}): string[] {
  return sandbox.runProcessing(script, { elements, params }).map((e) => e.id);
}

describe('runProcessing results', () => {
  it('puts masters last with the README example, others keeping their order', () => {
    expect(ids("order_flow_elements(elements, x => x.context.patroni_leader === 'master' ? 1 : 0, false)")).toEqual([
      'web1',
      'pg2',
      'pg3',
      'pg1',
    ]);
  });

  it('filters in place', () => {
    expect(ids("filter_flow_elements(elements, e => e.groups.includes('db'))")).toEqual(['pg1', 'pg2', 'pg3']);
  });

  it('uses the array a top-level return gives', () => {
    expect(ids('return elements.slice().reverse()')).toEqual(['pg3', 'pg2', 'web1', 'pg1']);
  });

  it('uses elements reassigned by the script', () => {
    expect(ids("elements = elements.filter(e => e.id !== 'web1')")).toEqual(['pg1', 'pg2', 'pg3']);
  });

  it('uses a local `let elements` the script declared', () => {
    expect(ids("let elements = globalThis.elements.filter(e => e.id.startsWith('pg')).reverse()")).toEqual(['pg3', 'pg2', 'pg1']);
  });

  it('leaves the order alone when the script does nothing to it', () => {
    expect(ids('const n = elements.length;')).toEqual(['pg1', 'web1', 'pg2', 'pg3']);
  });

  it('sees params', () => {
    expect(ids('return elements.filter(e => e.groups.includes(params.group))', { group: 'web' })).toEqual(['web1']);
  });

  it('returns the original input objects, untouched by what the script did to its copies', () => {
    const out = sandbox.runProcessing("elements.forEach(e => { e.name = 'changed'; e.context.x = 1 }); return elements.reverse()", {
      elements,
      params: {},
    });
    expect(out[0]).toBe(elements[3]);
    expect(out[3]).toBe(elements[0]);
    expect(elements[0]?.name).toBe('PG1');
    expect(elements[0]?.context).toEqual({ patroni_leader: 'master' });
  });
});

describe('runProcessing result checks', () => {
  it('refuses elements that were not given', () => {
    const error = failure(() => ids("return [{ id: 'intruder' }]"));
    expect(error.code).toBe('script-error');
    expect(error.message).toContain("'intruder'");
    expect(error.location).toEqual({ file: 'processing' });
  });

  it('refuses a result that is not an array', () => {
    const error = failure(() => ids('return 5'));
    expect(error.code).toBe('script-error');
    expect(error.message).toMatch(/array of elements.*number 5/);
  });

  it('refuses items without an id and duplicates', () => {
    expect(failure(() => ids("return ['pg1']")).message).toContain('not an element');
    expect(failure(() => ids('return [elements[0], elements[0]]')).message).toContain("'pg1' twice");
  });

  it('names the script as given', () => {
    const error = failure(() => sandbox.runProcessing('return 1', { elements, params: {} }, { name: 'restart.processing' }));
    expect(error.location?.file).toBe('restart.processing');
  });
});

describe('runProcessing isolation', () => {
  it('has no require, process, fs, network or timers', () => {
    const script = `
      const kinds = [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof XMLHttpRequest,
        typeof std, typeof os, typeof module, typeof Buffer, typeof WebAssembly];
      if (kinds.some(k => k !== 'undefined')) throw new Error(kinds.join());
    `;
    expect(ids(script)).toHaveLength(4);
    expect(sandbox.evaluate('[typeof require, typeof process]', {}, { name: 'isolation' })).toEqual(['undefined', 'undefined']);
  });
});

describe('runProcessing errors point into the script', () => {
  it('places a TypeError on line 3 at the property that failed', () => {
    const error = failure(() => ids('const leaders = [];\nconst count = elements.length;\nconst port = elements.foo.bar;\n'));
    expect(error.code).toBe('script-error');
    expect(error.message).toBe("TypeError: cannot read property 'bar' of undefined");
    expect(error.location).toEqual({ file: 'processing', line: 3, column: 27 });
  });

  it('places an `elements.foo.bar` statement', () => {
    const error = failure(() => ids('\n\n  elements.foo.bar;'));
    expect(error.location).toEqual({ file: 'processing', line: 3, column: 16 });
  });

  it('places a SyntaxError on line 2 at the offending token', () => {
    const error = failure(() => sandbox.runProcessing('const a = 1;\nconst b = a +* 2;\n', { elements, params: {} }, { name: 'p' }));
    expect(error.code).toBe('script-error');
    expect(error.message).toMatch(/^SyntaxError: /);
    expect(error.location).toEqual({ file: 'p', line: 2, column: 14 });
  });

  it('places a thrown Error on line 4', () => {
    const error = failure(() => ids("const x = 1;\n\nif (x) {\n  throw new Error('x');\n}\n"));
    expect(error.message).toBe('Error: x');
    expect(error.location).toEqual({ file: 'processing', line: 4, column: 13 });
  });

  it('places an error inside a callback', () => {
    const error = failure(() => ids('const roles = elements\n  .map(e => e.context.missing.deep);\n'));
    expect(error.location).toEqual({ file: 'processing', line: 2, column: 31 });
  });

  it('places an undefined variable', () => {
    const error = failure(() => ids('const a = 1;\nconst b = nope + 1;'));
    expect(error.message).toBe('ReferenceError: nope is not defined');
    expect(error.location).toEqual({ file: 'processing', line: 2, column: 11 });
  });

  it('counts columns in UTF-16 units, not bytes', () => {
    expect(failure(() => ids("const s = 'é😀'; nope;")).location).toEqual({ file: 'processing', line: 1, column: 18 });
    // Not refined by name: QuickJS's own (byte) column, converted.
    const error = failure(() => ids("const s = 'é😀';  s.x();"));
    expect(error.location).toEqual({ file: 'processing', line: 1, column: 21 });
  });

  it('reports an unfinished script at its end', () => {
    const error = failure(() => ids('elements.filter(x =>'));
    expect(error.message).toBe('SyntaxError: Unexpected end of input');
    expect(error.location?.line).toBe(1);
  });

  it('reports endless recursion as a script error', () => {
    const error = failure(() => ids('function f() { return f() }\nf()'));
    expect(error.code).toBe('script-error');
    expect(error.message).toContain('Maximum call stack size exceeded');
  });

  it('reports a thrown non-error value', () => {
    expect(failure(() => ids("throw 'boom'")).message).toBe('uncaught "boom"');
  });
});

describe('Python hint', () => {
  it('explains how to write a Python-looking script in JavaScript', () => {
    const error = failure(() => ids('order_flow_elements(elements, lambda x: 1 if x.context.role == "master" else 0)'));
    expect(error.code).toBe('script-error');
    expect(error.message).toContain('This looks like Python; Flowdeck scripts are JavaScript');
    expect(error.message).toContain("`x => x.context.role === 'master' ? 1 : 0` instead of `lambda x: ...`");
  });

  it('covers True/False/None and # comments', () => {
    const error = failure(() => ids('# keep masters\nreturn elements.filter(e => e.enabled == True)'));
    expect(error.message).toContain('`true/false/null` instead of `True/False/None`');
    expect(error.message).toContain('`//` for comments');
  });

  it('stays out of a failing JavaScript script', () => {
    const error = failure(() => ids('const a = elements.foo.bar; // none of this is Python'));
    expect(error.message).not.toContain('Python');
  });

  it('stays out of a Python-looking script that works', () => {
    expect(ids("// lambda x: True\nreturn elements.filter(e => e.groups.includes('web'))")).toEqual(['web1']);
  });
});

describe('limits', () => {
  it('stops an endless loop with script-timeout and keeps working', () => {
    const started = performance.now();
    const error = failure(() => ids('while (true) {}'));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('script-timeout');
    expect(error.message).toBe('processing script ran longer than 1000 ms (endless loop?)');
    expect(ids('return elements.slice(0, 1)')).toEqual(['pg1']);
  });

  it('honours smaller limits', () => {
    const error = failure(() => sandbox.runProcessing('for (;;) {}', { elements, params: {} }, { limits: { cpuMs: 50, memoryBytes: 1 << 24 } }));
    expect(error.message).toBe('processing script ran longer than 50 ms (endless loop?)');
  });

  it('stops a runaway allocation with script-memory and keeps working', () => {
    const error = failure(() => ids('const a = []; while (true) a.push(new Array(1e6).fill(1))'));
    expect(error.code).toBe('script-memory');
    expect(error.message).toContain('64 MiB');
    expect(ids('return elements.slice(0, 1)')).toEqual(['pg1']);
  });

  it('stops runaway strings and objects too', () => {
    const roomy = { limits: { cpuMs: 20_000, memoryBytes: 8 * 1024 * 1024 } };
    expect(failure(() => ids("'x'.repeat(2 ** 29)")).code).toBe('script-memory');
    const objects = failure(() => sandbox.runProcessing('const a = []; while (true) a.push({ n: [a.length] })', { elements, params: {} }, roomy));
    expect(objects.code).toBe('script-memory');
    expect(objects.message).toContain('8 MiB');
    expect(ids('return elements')).toHaveLength(4);
  });
});
