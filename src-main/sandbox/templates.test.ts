import { beforeAll, describe, expect, it, vi } from 'vitest';
import { hasTemplate } from './index';
import { loadQuickJSModule, QuickJSEngine } from './quickjs-runtime';
import { createSandboxCore, loadSandboxCore, type SandboxCore } from './core';
import { parseTemplate } from './template-syntax';
import { failure } from './test-support';

let sandbox: SandboxCore;
beforeAll(async () => {
  ({ core: sandbox } = await loadSandboxCore());
});

const element = { id: 'pg1', name: 'PG1', host: 'pg1', groups: ['db'], profile: null, context: { dir: '/var/lib/pg data', port: 5432, primary: true } };

function render(template: string, vars: Parameters<SandboxCore['renderTemplate']>[1] = { element }): string {
  return sandbox.renderTemplate(template, vars, { name: 'step "restart".run' });
}


describe('renderTemplate', () => {
  it('fills several slots in one string', () => {
    expect(render('pg_ctl -D {{ shq(element.context.dir) }} -o "-p {{ element.context.port }}" # {{element.id}}')).toBe(
      "pg_ctl -D '/var/lib/pg data' -o \"-p 5432\" # pg1",
    );
  });

  it('quotes for the shell with shq', () => {
    expect(render('echo {{ shq(x) }}', { x: "it's" })).toBe("echo 'it'\\''s'");
    expect(render('kill {{ shq(pid) }}', { pid: 42 })).toBe('kill 42');
    expect(render('rm {{ shq(files) }}', { files: ['a b', "c'd"] })).toBe("rm 'a b' 'c'\\''d'");
  });

  it('writes booleans and numbers with String, arrays and objects as JSON', () => {
    expect(render('{{ element.context.primary }} {{ 1.5 }} {{ [1, "a"] }} {{ ({ a: { b: 1 } }) }}')).toBe('true 1.5 [1,"a"] {"a":{"b":1}}');
  });

  it('closes a slot where a reader expects despite braces and quotes inside', () => {
    expect(render('{{ "}}" }} and {{ JSON.stringify({a: {b: 1}}) }}')).toBe('}} and {"a":{"b":1}}');
  });

  it('writes a literal `{{` through a string expression', () => {
    expect(render(`docker ps --format '{{ "{{.Names}}" }}'`)).toBe("docker ps --format '{{.Names}}'");
  });

  it('returns text without `{{` untouched, without QuickJS', async () => {
    const engine = new QuickJSEngine(await loadQuickJSModule(), loadQuickJSModule);
    const run = vi.spyOn(engine, 'run');
    const own = createSandboxCore(engine);
    expect(own.renderTemplate('patronictl list', {}, { name: 'x' })).toBe('patronictl list');
    expect(run).not.toHaveBeenCalled();
    expect(own.renderTemplate('{{ 1 }}', {}, { name: 'x' })).toBe('1');
    expect(run).toHaveBeenCalledTimes(1);
    engine.dispose();
  });
});

describe('template errors', () => {
  it('names an undefined variable', () => {
    const error = failure(() => render('systemctl restart {{ nope }}'));
    expect(error.code).toBe('template-error');
    expect(error.message).toContain('nope');
    expect(error.message).toBe('`{{ nope }}`: ReferenceError: nope is not defined');
    expect(error.location).toEqual({ file: 'step "restart".run', line: 1, column: 19 });
  });

  it('refuses an undefined value instead of writing an empty string', () => {
    const error = failure(() => render('rm -rf /srv/\n{{ element.context.missing }}'));
    expect(error.code).toBe('template-error');
    expect(error.message).toBe('`{{ element.context.missing }}` is undefined');
    expect(error.location).toEqual({ file: 'step "restart".run', line: 2, column: 1 });
  });

  it('refuses null and functions', () => {
    expect(failure(() => render('{{ null }}')).message).toBe('`{{ null }}` is null');
    expect(failure(() => render('{{ shq }}')).message).toContain('is a function');
  });

  it('reports the failing slot when a later one fails', () => {
    const error = failure(() => render('{{ element.id }} {{ element.context.missing.deeper }}'));
    expect(error.message).toBe("`{{ element.context.missing.deeper }}`: TypeError: cannot read property 'deeper' of undefined");
    expect(error.location?.column).toBe(18);
  });

  it('reports syntax errors, empty and unclosed slots', () => {
    expect(failure(() => render('{{ a b }}')).message).toMatch(/^`\{\{ a b \}\}`: SyntaxError: /);
    expect(failure(() => render('x {{ }}')).message).toContain('empty');
    const unclosed = failure(() => render('echo\n  {{ element.id '));
    expect(unclosed.code).toBe('template-error');
    expect(unclosed.location).toEqual({ file: 'step "restart".run', line: 2, column: 3 });
  });

  it('stops an endless loop with script-timeout and keeps working', () => {
    const error = failure(() => render('{{ (() => { for (;;) {} })() }}'));
    expect(error.code).toBe('script-timeout');
    expect(error.message).toContain('ran longer than 250 ms');
    expect(render('{{ element.id }}')).toBe('pg1');
  });
});

describe('template syntax', () => {
  it('detects templates', () => {
    expect(hasTemplate('echo {{ x }}')).toBe(true);
    expect(hasTemplate('echo ${x}')).toBe(false);
  });

  it('splits text and slots', () => {
    expect(parseTemplate('a {{ x }} b {{y}}', 'f')).toEqual(['a ', { code: ' x ', start: 2 }, ' b ', { code: 'y', start: 12 }]);
  });
});
