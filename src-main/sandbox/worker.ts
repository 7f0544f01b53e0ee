/**
 * The sandbox worker thread: runs operator scripts, expressions and templates in QuickJS, one
 * call at a time, and answers the main thread. The main thread enforces a hard deadline by
 * terminating this thread, so even time spent inside a QuickJS built-in (which the
 * interrupt handler never sees) cannot stall the app, its heartbeat or another client.
 */
import { parentPort } from 'node:worker_threads';
import { FlowdeckError, serializeError } from '../../src-shared/errors';
import { createSandboxCore, type SandboxCore } from './core';
import type { MainToWorker, SandboxRequest, SandboxResults, WorkerToMain } from './protocol';
import { loadQuickJSModule, QuickJSEngine } from './quickjs-runtime';
import { syntaxErrorOf } from './syntax-check';

const port = parentPort;
if (!port) throw new Error('the sandbox worker must run in a worker thread');

const engine = new QuickJSEngine(await loadQuickJSModule(), loadQuickJSModule);
const core: SandboxCore = createSandboxCore(engine);

function evaluateEach(request: Extract<SandboxRequest, { op: 'evaluateEach' }>): SandboxResults['evaluateEach'] {
  const end = performance.now() + request.totalMs;
  return request.varsList.map((vars) => {
    if (performance.now() > end) {
      throw new FlowdeckError('script-timeout', `expression '${request.name}' over ${request.varsList.length} elements ran longer than ${request.totalMs} ms in all`, {
        file: request.name,
      });
    }
    return core.evaluate(request.expression, vars, { name: request.name, limits: request.limits });
  });
}

function perform(request: SandboxRequest): SandboxResults[keyof SandboxResults] {
  switch (request.op) {
    case 'processing':
      return core
        .runProcessing(request.script, { elements: request.elements, params: request.params }, { name: request.name, limits: request.limits })
        .map((element) => element.id);
    case 'evaluate':
      return core.evaluate(request.expression, request.vars, { name: request.name, limits: request.limits });
    case 'evaluateEach':
      return evaluateEach(request);
    case 'render':
      return core.renderTemplate(request.template, request.vars, { name: request.name, limits: request.limits, target: request.target });
    case 'check':
      return request.items.map((item) => {
        const found = syntaxErrorOf(engine, item.kind, item.code, item.name);
        return found ? serializeError(found) : undefined;
      });
  }
}

/** After a failure that broke the WASM module (or escaped it), this thread is replaced rather than reused. */
function damaged(error: unknown): boolean {
  return !(error instanceof FlowdeckError) || !engine.healthy;
}

function reply(message: WorkerToMain): void {
  port?.postMessage(message);
}

port.on('message', (message: MainToWorker) => {
  if (message.type !== 'job') return;
  try {
    reply({ type: 'reply', id: message.id, ok: true, value: perform(message.request) });
  } catch (error) {
    const retire = damaged(error);
    reply({ type: 'reply', id: message.id, ok: false, error: serializeError(error), retire });
    if (retire) process.exit(1);
  }
});

reply({ type: 'ready' });
