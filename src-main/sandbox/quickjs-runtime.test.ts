import { describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { defaultExpressionLimits, defaultProcessingLimits } from './limits';
import { loadQuickJSModule, QuickJSEngine, WASM_MEMORY_CAP_BYTES } from './quickjs-runtime';
import { createSandboxCore } from './core';
import { ScriptFailure } from './script-session';

async function newEngine(): Promise<QuickJSEngine> {
  return new QuickJSEngine(await loadQuickJSModule(), loadQuickJSModule);
}

const elements = [{ id: 'a', name: 'A', host: 'a', groups: [], profile: null, context: {} }];

describe('QuickJSEngine', () => {
  it('frees everything it hands out: disposing after mixed calls and failures does not abort', async () => {
    const engine = await newEngine();
    const sandbox = createSandboxCore(engine);
    const attempts: Array<() => unknown> = [
      () => sandbox.evaluate('current === last', { current: 1, last: 1 }, { name: 'when' }),
      () => sandbox.evaluate('nope', {}, { name: 'when' }),
      () => sandbox.evaluate('a b', {}, { name: 'when' }),
      () => sandbox.evaluate('(() => { for (;;) {} })()', {}, { name: 'when', limits: { cpuMs: 20, memoryBytes: 1 << 24 } }),
      () => sandbox.evaluate("'x'.repeat(2 ** 28)", {}, { name: 'when' }),
      () => sandbox.renderTemplate('{{ shq(x) }} {{ y }}', { x: 'a' }, { name: 't' }),
      () => sandbox.runProcessing('throw new Error("x")', { elements, params: {} }),
      () => sandbox.runProcessing('return elements', { elements, params: {} }),
    ];
    for (let round = 0; round < 3; round++) {
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (error) {
          expect(error).toBeInstanceOf(FlowdeckError);
        }
      }
    }
    expect(sandbox.evaluate('1 + 1', {}, { name: 'x' })).toBe(2);
    expect(() => engine.dispose()).not.toThrow();
    expect(() => sandbox.evaluate('1', {}, { name: 'x' })).toThrow(/shut down/);
  });

  it('replaces the WASM module after a host-level failure inside it', async () => {
    const engine = await newEngine();
    const sandbox = createSandboxCore(engine);
    // What a host stack overflow in the middle of QuickJS looks like from the outside.
    const crash = (): never => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    expect(() => engine.run('expression', defaultExpressionLimits, crash)).toThrow(ScriptFailure);
    expect(() => sandbox.evaluate('1', {}, { name: 'x' })).toThrow(/restarting/);
    await engine.ready();
    expect(sandbox.evaluate('1 + 1', {}, { name: 'x' })).toBe(2);
    engine.dispose();
  });

  it('turns a crash into a script-error for the caller', async () => {
    const engine = await newEngine();
    const sandbox = createSandboxCore(engine);
    let depth = 0;
    // Exhaust the host stack, then ask the sandbox for something: whichever layer overflows,
    // the caller sees a FlowdeckError and the sandbox is back once the module reloads.
    const deep = (): unknown => {
      depth++;
      try {
        return deep();
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        return sandbox.evaluate('((((((((((1))))))))))', {}, { name: 'deep' });
      }
    };
    try {
      deep();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
    }
    expect(depth).toBeGreaterThan(100);
    await engine.ready();
    expect(sandbox.evaluate('2', {}, { name: 'x' })).toBe(2);
    engine.dispose();
  });

  it('caps the WASM memory of the module', async () => {
    const loaded = await loadQuickJSModule();
    expect(loaded.memory.buffer.byteLength).toBeLessThanOrEqual(WASM_MEMORY_CAP_BYTES);
    expect(WASM_MEMORY_CAP_BYTES).toBeGreaterThan(defaultProcessingLimits.memoryBytes * 2);
  });
});
