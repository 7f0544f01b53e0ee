import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { SandboxLimits } from './limits';

/** The context itself and the JSON copies of the inputs are not the script's doing. */
const CONTEXT_OVERHEAD_BYTES = 1024 * 1024;
/** A JSON document parsed into QuickJS objects takes about 3.5 times its text. */
const PARSED_JSON_FACTOR = 4;
/** The WASM memory grows in steps and holds the allocator's own bookkeeping: room for both. */
const WASM_GROWTH_SLACK_BYTES = 8 * 1024 * 1024;
/** Reading a failed script's error may run its getters; give that a moment of its own. */
const DESCRIBE_GRACE_MS = 50;

/** What a script threw, read out of the sandbox. */
export interface ThrownValue {
  name: string | undefined;
  message: string;
  stack: string;
}

export type ScriptFailureKind = 'timeout' | 'memory' | 'thrown' | 'crash' | 'async';

/**
 * A script did not finish. Callers turn it into a FlowdeckError with their own wording and
 * positions; `crash` means the WASM module itself failed and is being replaced.
 */
export class ScriptFailure extends Error {
  readonly kind: ScriptFailureKind;
  readonly thrown: ThrownValue | undefined;

  constructor(kind: ScriptFailureKind, thrown?: ThrownValue, options?: { cause?: unknown }) {
    super(thrown ? `${thrown.name ?? 'Error'}: ${thrown.message}` : kind, options);
    this.name = 'ScriptFailure';
    this.kind = kind;
    this.thrown = thrown;
  }
}

/** Runs inside the sandbox: whatever was thrown (an Error, a string, a Proxy...) as JSON. */
const describeExceptionSource = `(function (e) {
  try {
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') {
      return JSON.stringify({ name: typeof e.name === 'string' ? e.name : undefined, message: e.message, stack: typeof e.stack === 'string' ? e.stack : '' });
    }
    let shown;
    try { shown = JSON.stringify(e); } catch (_) {}
    return JSON.stringify({ message: 'uncaught ' + (shown === undefined ? String(e) : shown), stack: '' });
  } catch (_) {
    return JSON.stringify({ message: 'uncaught exception', stack: '' });
  }
})`;

function isOutOfMemory(thrown: ThrownValue): boolean {
  return thrown.name === 'InternalError' && thrown.message === 'out of memory';
}

/**
 * The CPU time this thread has used, in ms: what a script's time limit counts, so a script on a
 * machine busy with other work is not stopped for the time it spent waiting for a core. Where
 * the runtime cannot tell (before Node 22.19), wall time stands in.
 */
const threadCpuUsage = (process as NodeJS.Process & { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);
const threadCpuMs: () => number = threadCpuUsage
  ? () => {
      const used = threadCpuUsage();
      return (used.user + used.system) / 1000;
    }
  : () => performance.now();

/**
 * Deadline and memory budget of one call; the interrupt handler reads both. The time limit is
 * CPU time (it never comes before the wall-clock deadline, which is checked first because it is
 * cheaper). QuickJS checks its memory limit when it allocates, but an array's storage that grows
 * by reallocation slips past it, so the interrupt handler also watches the WASM memory itself
 * grow: a call that made it grow by more than its whole budget is over it, whatever QuickJS
 * counted.
 */
export class CallGuard {
  timedOut = false;
  overMemory = false;
  private wallDeadline: number;
  private cpuDeadline: number;
  private memoryLimit: number;
  private readonly wasmBytesAtStart: number;

  constructor(
    private readonly runtime: QuickJSRuntime,
    limits: SandboxLimits,
    wasmBytes: () => number = () => 0,
  ) {
    this.wallDeadline = performance.now() + limits.cpuMs;
    this.cpuDeadline = threadCpuMs() + limits.cpuMs;
    this.memoryLimit = limits.memoryBytes + CONTEXT_OVERHEAD_BYTES;
    this.wasmBytesAtStart = wasmBytes();
    runtime.setMemoryLimit(this.memoryLimit);
    runtime.setInterruptHandler(() => {
      if (wasmBytes() - this.wasmBytesAtStart > this.memoryLimit + WASM_GROWTH_SLACK_BYTES) {
        this.overMemory = true;
        return true;
      }
      // CPU time never runs ahead of wall time: below the wall deadline, nothing to ask.
      if (performance.now() <= this.wallDeadline || threadCpuMs() <= this.cpuDeadline) return false;
      this.timedOut = true;
      return true;
    });
  }

  /** Inputs are the caller's data: their size widens the budget instead of eating into it. */
  allowInput(chars: number): void {
    this.memoryLimit += chars * PARSED_JSON_FACTOR;
    this.runtime.setMemoryLimit(this.memoryLimit);
  }

  graceForDescribing(): void {
    this.wallDeadline = performance.now() + DESCRIBE_GRACE_MS;
    this.cpuDeadline = threadCpuMs() + DESCRIBE_GRACE_MS;
    this.runtime.setMemoryLimit(this.memoryLimit + CONTEXT_OVERHEAD_BYTES);
  }
}

/**
 * One fresh context for one call. Every handle it hands out is disposed when the call ends:
 * a leaked handle makes QuickJS abort when its runtime is freed.
 */
export class ScriptSession {
  private readonly handles: QuickJSHandle[] = [];
  private readonly jsonStringify: QuickJSHandle;
  private readonly jsonParse: QuickJSHandle;
  private readonly jsonObject: QuickJSHandle;
  private readonly stringFn: QuickJSHandle;

  constructor(
    private readonly context: QuickJSContext,
    private readonly guard: CallGuard,
  ) {
    // Taken before any script runs, so a script that replaces JSON cannot fool the host.
    this.jsonObject = this.keep(context.getProp(context.global, 'JSON'));
    this.jsonStringify = this.keep(context.getProp(this.jsonObject, 'stringify'));
    this.jsonParse = this.keep(context.getProp(this.jsonObject, 'parse'));
    this.stringFn = this.keep(context.getProp(context.global, 'String'));
  }

  /** Makes each variable a global, copied in as JSON; `undefined` defines the name as undefined. */
  defineGlobals(vars: Readonly<Record<string, unknown>>): void {
    const defined: Record<string, unknown> = {};
    const names: string[] = [];
    for (const [name, value] of Object.entries(vars)) {
      // A JSON object's `__proto__` key cannot be read back as an own property.
      if (name === '__proto__') continue;
      if (value === undefined) this.context.setProp(this.context.global, name, this.context.undefined);
      else {
        defined[name] = value;
        names.push(name);
      }
    }
    if (names.length === 0) return;
    const json = JSON.stringify(defined);
    this.guard.allowInput(json.length);
    const parsed = this.call(this.jsonParse, this.jsonObject, this.keep(this.context.newString(json)));
    for (const name of names) {
      const value = this.keep(this.context.getProp(parsed, name));
      this.context.setProp(this.context.global, name, value);
    }
  }

  /**
   * Runs global code; the completion value's handle lives until the session ends. Nothing
   * runs the job queue, so code that leaves a promise or a pending job (an `async` function,
   * `import()`, `.then`) would never finish: that is an 'async' failure, not a silent no-op.
   */
  run(code: string, file: string): QuickJSHandle {
    const result = this.context.evalCode(code, file, { type: 'global' });
    if (result.error) throw this.failure(this.keep(result.error));
    const value = this.keep(result.value);
    if (this.context.runtime.hasPendingJob()) throw new ScriptFailure('async');
    const state = this.context.getPromiseState(value);
    if (state.type === 'fulfilled' && state.notAPromise) return value;
    if (state.type === 'fulfilled') state.value.dispose();
    else if (state.type === 'rejected') state.error.dispose();
    throw new ScriptFailure('async');
  }

  /** Compiles without running: what the parser says about `code`, or undefined if it parses. */
  syntaxError(code: string, file: string): ThrownValue | undefined {
    const result = this.context.evalCode(code, file, { type: 'global', compileOnly: true });
    if (!result.error) {
      result.value.dispose();
      return undefined;
    }
    const failure = this.failure(this.keep(result.error));
    return failure.kind === 'thrown' ? failure.thrown : undefined;
  }

  typeOf(handle: QuickJSHandle): string {
    return this.context.typeof(handle);
  }

  /** The value as JSON.stringify inside the sandbox sees it; undefined stays undefined. */
  toJson(handle: QuickJSHandle): JsonValue | undefined {
    if (this.context.typeof(handle) === 'undefined') return undefined;
    const json = this.call(this.jsonStringify, this.context.undefined, handle);
    if (this.context.typeof(json) !== 'string') return undefined;
    return JSON.parse(this.context.getString(json)) as JsonValue;
  }

  /** `String(value)` inside the sandbox. */
  toText(handle: QuickJSHandle): string {
    if (this.context.typeof(handle) === 'string') return this.context.getString(handle);
    return this.context.getString(this.call(this.stringFn, this.context.undefined, handle));
  }

  close(): void {
    for (const handle of this.handles.splice(0)) if (handle.alive) handle.dispose();
  }

  private call(fn: QuickJSHandle, thisValue: QuickJSHandle, ...args: QuickJSHandle[]): QuickJSHandle {
    const result = this.context.callFunction(fn, thisValue, ...args);
    if (result.error) throw this.failure(this.keep(result.error));
    return this.keep(result.value);
  }

  private keep(handle: QuickJSHandle): QuickJSHandle {
    this.handles.push(handle);
    return handle;
  }

  private failure(exception: QuickJSHandle): ScriptFailure {
    if (this.guard.overMemory) return new ScriptFailure('memory');
    if (this.guard.timedOut) return new ScriptFailure('timeout');
    const thrown = this.describe(exception);
    // A thrown object whose getters loop is still a script that ran too long.
    if (this.guard.timedOut) return new ScriptFailure('timeout');
    if (thrown === undefined || isOutOfMemory(thrown)) return new ScriptFailure('memory', thrown);
    return new ScriptFailure('thrown', thrown);
  }

  /** Reads name/message/stack inside the sandbox; undefined if even that ran out of memory. */
  private describe(exception: QuickJSHandle): ThrownValue | undefined {
    this.guard.graceForDescribing();
    const describer = this.context.evalCode(describeExceptionSource, 'flowdeck-describe', { type: 'global' });
    if (describer.error) {
      describer.error.dispose();
      return undefined;
    }
    const fn = this.keep(describer.value);
    const result = this.context.callFunction(fn, this.context.undefined, exception);
    if (result.error) {
      result.error.dispose();
      return undefined;
    }
    const text = this.context.getString(this.keep(result.value));
    const parsed = JSON.parse(text) as { name?: string; message?: string; stack?: string };
    return { name: parsed.name, message: parsed.message ?? '', stack: parsed.stack ?? '' };
  }
}
