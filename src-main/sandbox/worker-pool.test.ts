import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { defaultExpressionLimits } from './limits';
import { createSandbox, type Sandbox } from './sandbox';
import { SandboxPool, type KillReason } from './worker-pool';

const scriptedWorker = resolve(import.meta.dirname, '../../test/fixtures/sandbox/scripted-worker.mjs');

function scriptedPool(maxWorkers = 2): SandboxPool {
  return new SandboxPool({ maxWorkers, entry: () => ({ target: scriptedWorker, eval: false }) });
}

const killed = (reason: KillReason, detail: string): FlowdeckError => new FlowdeckError('script-error', `${reason}: ${detail}`);

function ask(pool: SandboxPool, expression: string, deadlineMs = 5_000): Promise<unknown> {
  return pool.call({ op: 'evaluate', expression, vars: {}, name: 't', limits: defaultExpressionLimits }, deadlineMs, killed);
}

async function failure(promise: Promise<unknown>): Promise<FlowdeckError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FlowdeckError) return error;
    throw error;
  }
  throw new Error('expected a FlowdeckError');
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe('SandboxPool', () => {
  it('a crashing call fails alone: calls before, beside and after it all get their answers', async () => {
    const pool = scriptedPool();
    open.push(pool);
    const before = await ask(pool, 'abc');
    const beside = Array.from({ length: 150 }, (_, i) => ask(pool, 'x'.repeat(i % 7)));
    const crash = failure(ask(pool, 'crash'));
    const after = Array.from({ length: 20 }, () => ask(pool, 'after'));
    expect(before).toBe(3);
    expect((await crash).message).toMatch(/^crash: .*scripted crash/);
    expect(await Promise.all(beside)).toEqual(Array.from({ length: 150 }, (_, i) => i % 7));
    expect(await Promise.all(after)).toEqual(Array.from({ length: 20 }, () => 5));
  });

  it('terminates a worker past the deadline and serves the next call from a fresh one', async () => {
    const pool = scriptedPool(1);
    open.push(pool);
    const hung = failure(ask(pool, 'hang', 200));
    const next = ask(pool, 'next');
    expect((await hung).message).toBe('deadline: ran past its deadline of 200 ms');
    expect(await next).toBe(4);
  });

  it('gives a call waiting behind a slow one a worker of its own', async () => {
    const pool = scriptedPool(2);
    open.push(pool);
    await ask(pool, 'warm');
    const order: string[] = [];
    const slow = ask(pool, 'slow:1500').then(() => order.push('slow'));
    const quick = ask(pool, 'ab').then(() => order.push('quick'));
    await Promise.all([slow, quick]);
    expect(order).toEqual(['quick', 'slow']);
    expect(pool.size).toBe(2);
  });

  it('rejects what is queued when it closes', async () => {
    const pool = scriptedPool(1);
    const pending = failure(ask(pool, 'slow:2000'));
    await pool.close();
    expect((await pending).message).toMatch(/^closed: /);
    expect((await failure(ask(pool, 'x'))).message).toBe('the script sandbox has been shut down');
  });

  it('says once that workers cannot start, instead of starting them forever', async () => {
    const pool = new SandboxPool({ maxWorkers: 2, entry: () => ({ target: resolve(import.meta.dirname, 'no-such-worker.mjs'), eval: false }) });
    open.push(pool);
    const error = await failure(ask(pool, 'x'));
    expect(error.message).toMatch(/could not start|exited|Cannot find module/);
  });
});

describe('the QuickJS sandbox on worker threads', () => {
  let sandbox: Sandbox;
  const fresh = (): Sandbox => {
    sandbox = createSandbox({ maxWorkers: 2 });
    open.push(sandbox);
    return sandbox;
  };

  it('stops time spent inside built-ins, which the interrupt handler never sees', async () => {
    const sb = fresh();
    const sort = await failure(
      sb.runProcessing('const a = Array.from({ length: 30000 }, (_, i) => String((i * 7919) % 30000)); for (;;) a.sort();', { elements: [], params: {} }),
    );
    expect(sort.code).toBe('script-timeout');
    expect(sort.message).toMatch(/^processing script ran longer than 1000 ms/);
    const indexOf = await failure(
      sb.evaluate('(() => { const s = "ab".repeat(5e6); let n = 0; for (let i = 0; i < 100; i++) n += s.indexOf("c"); return n; })()', {}, { name: 'when' }),
    );
    expect(indexOf.code).toBe('script-timeout');
    const template = await failure(sb.renderTemplate('echo {{ (() => { const a = Array.from({ length: 30000 }, (_, i) => -i); for (;;) a.sort(); })() }}', {}, { name: 'run', target: { kind: 'shell' } }));
    expect(template.code).toBe('script-timeout');
    expect(template.message).toMatch(/^template 'run' ran longer than 250 ms/);
    expect(await sb.evaluate('1 + 1', {}, { name: 'after' })).toBe(2);
  });

  it('refuses async code with a clear message, and the next call is unaffected', async () => {
    const sb = fresh();
    const elements = [{ id: 'a', name: 'a', host: 'a', groups: [], profile: null, context: {} }];
    for (const script of ['return (async () => elements)()', 'import("os"); return elements', 'async function f() { await 1 } f(); return elements']) {
      const error = await failure(sb.runProcessing(script, { elements, params: {} }));
      expect(error.message).toMatch(/^processing script used async code/);
      expect((await sb.runProcessing('return elements', { elements, params: {} })).map((e) => e.id)).toEqual(['a']);
    }
  });

  it('stops a runaway allocation at its memory limit, also one that grows an array in place', async () => {
    const sb = fresh();
    // A deadline far away, so what stops each script is its memory, however loaded the machine.
    const limits = { cpuMs: 20_000, memoryBytes: 16 * 1024 * 1024 };
    for (const script of ['const a = []; for (;;) a.push(1.5)', 'const a = new Array(1e8).fill(0)', "let s = 'x'; for (;;) s += s"]) {
      const error = await failure(sb.runProcessing(script, { elements: [], params: {} }, { limits }));
      expect([script, error.code]).toEqual([script, expect.stringMatching(/^script-(memory|error)$/)]);
      if (error.code === 'script-error') expect(error.message).toMatch(/string too long|out of memory/);
    }
    expect(await sb.evaluate('[1, 2].length', {}, { name: 'after' })).toBe(2);
  });

  it('finds syntax errors without running anything', async () => {
    const sb = fresh();
    expect(await sb.syntaxError('expression', 'current === last', 'when')).toBeUndefined();
    expect(await sb.syntaxError('processing', 'for (;;) {}', 'p')).toBeUndefined();
    const bad = await sb.syntaxError('expression', 'current === ', 'when');
    expect(bad?.code).toBe('script-error');
    expect(bad?.message).toMatch(/^SyntaxError/);
    const line = await sb.syntaxError('processing', 'const a = 1;\nconst b = ;\n', 'p');
    expect(line?.location).toMatchObject({ file: 'p', line: 2 });
  });
});
