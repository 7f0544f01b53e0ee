import type { ScriptElement } from '../src-shared/domain/inventory';
import { loadSandboxCore } from '../src-main/sandbox/core';
import { createSandbox } from '../src-main/sandbox/sandbox';
import { median } from './fleet';

export interface SandboxBench {
  /** Microseconds per call: on the calling thread (what the engine paid before the move), and through the worker pool. */
  expression: { inThreadUs: number; pooledUs: number };
  template: { inThreadUs: number; pooledUs: number };
  processing: { inThreadUs: number; pooledUs: number; elements: number };
  /** A targets expression over many elements: one round trip for all of them. */
  each: { elements: number; pooledUs: number };
  rounds: number;
}

function elementsOf(count: number): ScriptElement[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    name: `e${i}`,
    host: `10.0.0.${i % 250}`,
    groups: ['db'],
    profile: null,
    context: { role: i % 5 === 0 ? 'master' : 'replica', dir: `/srv/app-${i}` },
  }));
}

/** Microseconds per call of `fn`, median over `rounds` rounds of `calls` calls. */
async function perCall(rounds: number, calls: number, fn: (i: number) => unknown): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn(i);
    samples.push(((performance.now() - t0) * 1000) / calls);
  }
  return median(samples);
}

/**
 * What running scripts off the main thread costs: each kind of call timed on the calling thread
 * (the sandbox core, as the engine ran it before) and through the worker pool (a message each way
 * and a structured copy of the inputs), in the same run.
 */
export async function sandboxBench(rounds = 5): Promise<SandboxBench> {
  const { core, engine } = await loadSandboxCore();
  const pooled = createSandbox({ maxWorkers: 1 });
  try {
    const element = elementsOf(1)[0] as ScriptElement;
    const whenVars = { current: 3, last: 5, element: element as never };
    const fifty = elementsOf(50);
    const script = "order_flow_elements(elements, x => x.context.role === 'master' ? 1 : 0)";
    const template = 'ls -d {{ element.context.dir }} && echo {{ current }}/{{ last }}';
    // Warm both: the worker's start and QuickJS's first compile are not per-call costs.
    core.evaluate('1', {}, { name: 'w' });
    await pooled.evaluate('1', {}, { name: 'w' });
    await pooled.runProcessing(script, { elements: fifty, params: {} });

    const expression = {
      inThreadUs: await perCall(rounds, 500, () => core.evaluate('current === last || element.context.role === "master"', whenVars, { name: 'when' })),
      pooledUs: await perCall(rounds, 500, () => pooled.evaluate('current === last || element.context.role === "master"', whenVars, { name: 'when' })),
    };
    const templateCost = {
      inThreadUs: await perCall(rounds, 500, () => core.renderTemplate(template, whenVars, { name: 'run', target: { kind: 'shell' } })),
      pooledUs: await perCall(rounds, 500, () => pooled.renderTemplate(template, whenVars, { name: 'run', target: { kind: 'shell' } })),
    };
    const processing = {
      elements: fifty.length,
      inThreadUs: await perCall(rounds, 50, () => core.runProcessing(script, { elements: fifty, params: {} })),
      pooledUs: await perCall(rounds, 50, () => pooled.runProcessing(script, { elements: fifty, params: {} })),
    };
    const many = elementsOf(2000).map((e) => ({ element: e as never }));
    const each = { elements: many.length, pooledUs: await perCall(rounds, 1, () => pooled.evaluateEach("element.context.role === 'master'", many, { name: 'targets' })) };
    return { expression, template: templateCost, processing, each, rounds };
  } finally {
    engine.dispose();
    await pooled.close();
  }
}
