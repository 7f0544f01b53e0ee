import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type Intrinsics,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { SandboxLimits } from './limits';

/**
 * QuickJS-ng measures its stack in WASM's shadow stack, but the parser and JSON recurse
 * mostly on the host (V8) stack, which Node caps near 1 MB. 32 KiB keeps even the deepest
 * parser recursion (`((((…`) under about 500 KB of host stack, and still allows about 200
 * levels of plain recursion in a script.
 */
const MAX_STACK_BYTES = 32 * 1024;

/**
 * A hard ceiling for the whole WASM module. QuickJS-ng's own limit (setMemoryLimit) is
 * checked on malloc but not when an array's storage grows by realloc, so `push`/`fill`
 * loops sail past it; the WASM memory's `maximum` stops every allocation path.
 */
export const WASM_MEMORY_CAP_BYTES = 512 * 1024 * 1024;
const WASM_PAGE_BYTES = 64 * 1024;
const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;
/** WASM memory never shrinks; past this, a fresh module replaces the bloated one. */
const REFRESH_ABOVE_BYTES = 128 * 1024 * 1024;

/** The context itself and the JSON copies of the inputs are not the script's doing. */
const CONTEXT_OVERHEAD_BYTES = 1024 * 1024;
/** A JSON document parsed into QuickJS objects takes about 3.5 times its text. */
const PARSED_JSON_FACTOR = 4;
/** Reading a failed script's error may run its getters; give that a moment of its own. */
const DESCRIBE_GRACE_MS = 50;

/** No Promise: nothing runs the job queue, so async code would only leave jobs behind. */
const baseIntrinsics: Intrinsics = { BaseObjects: true, Eval: true, JSON: true, RegExp: true, Date: true, MapSet: true };
/** Processing runs once per run, so it also gets the rarely used (and costlier) built-ins. */
const processingIntrinsics: Intrinsics = { ...baseIntrinsics, StringNormalize: true, Proxy: true, TypedArrays: true };

export type RunPurpose = 'processing' | 'expression';

/** What a script threw, read out of the sandbox. */
export interface ThrownValue {
  name: string | undefined;
  message: string;
  stack: string;
}

export type ScriptFailureKind = 'timeout' | 'memory' | 'thrown' | 'crash';

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

const describeExceptionSource = `(function (e) {
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      return JSON.stringify({ name: String(e.name), message: String(e.message), stack: typeof e.stack === 'string' ? e.stack : '' });
    }
    return JSON.stringify({ message: 'uncaught ' + (typeof e === 'string' ? JSON.stringify(e) : String(e)), stack: '' });
  } catch (_) {
    return JSON.stringify({ message: 'uncaught exception', stack: '' });
  }
})`;

function isOutOfMemory(thrown: ThrownValue): boolean {
  return thrown.name === 'InternalError' && thrown.message === 'out of memory';
}

/** Deadline and memory budget of one call; the interrupt handler reads the deadline. */
class CallGuard {
  timedOut = false;
  private deadline: number;
  private memoryLimit: number;

  constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly limits: SandboxLimits,
  ) {
    this.deadline = performance.now() + limits.cpuMs;
    this.memoryLimit = limits.memoryBytes + CONTEXT_OVERHEAD_BYTES;
    runtime.setMemoryLimit(this.memoryLimit);
    runtime.setInterruptHandler(() => {
      if (performance.now() <= this.deadline) return false;
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
    this.deadline = performance.now() + DESCRIBE_GRACE_MS;
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

  /** Runs global code; the completion value's handle lives until the session ends. */
  run(code: string, file: string): QuickJSHandle {
    const result = this.context.evalCode(code, file, { type: 'global' });
    if (result.error) throw this.failure(this.keep(result.error));
    return this.keep(result.value);
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
    if (this.guard.timedOut) return new ScriptFailure('timeout');
    const thrown = this.describe(exception);
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

/**
 * Owns the WASM module. Expressions share one runtime (a fresh context per call is what
 * isolates them; a runtime costs another ~25 µs); processing gets its own runtime per call.
 * A runtime that hit a limit or kept async jobs is thrown away rather than trusted again.
 */
export class QuickJSEngine {
  private module: QuickJSWASMModule | undefined;
  private memory: WebAssembly.Memory | undefined;
  private sharedRuntime: QuickJSRuntime | undefined;
  private reloading: Promise<void> | undefined;
  private disposed = false;

  constructor(
    loaded: LoadedModule,
    private readonly loadModule: () => Promise<LoadedModule>,
  ) {
    this.module = loaded.module;
    this.memory = loaded.memory;
  }

  /** Resolves once the engine can run scripts again after a crash. */
  async ready(): Promise<void> {
    while (this.reloading) await this.reloading;
  }

  run<T>(purpose: RunPurpose, limits: SandboxLimits, body: (session: ScriptSession) => T): T {
    const module = this.module;
    if (this.disposed) throw new FlowdeckError('internal', 'the script sandbox has been shut down');
    if (!module) {
      this.reload();
      throw new FlowdeckError('internal', 'the script sandbox is restarting after a crash; try again in a moment');
    }
    let runtime: QuickJSRuntime | undefined;
    let context: QuickJSContext | undefined;
    let session: ScriptSession | undefined;
    let discardRuntime = purpose === 'processing';
    try {
      runtime = purpose === 'processing' ? module.newRuntime() : (this.sharedRuntime ??= module.newRuntime());
      runtime.setMaxStackSize(MAX_STACK_BYTES);
      const guard = new CallGuard(runtime, limits);
      context = runtime.newContext({ intrinsics: purpose === 'processing' ? processingIntrinsics : baseIntrinsics });
      session = new ScriptSession(context, guard);
      return body(session);
    } catch (error) {
      if (error instanceof ScriptFailure) {
        if (error.kind !== 'thrown') discardRuntime = true;
        if (error.kind === 'memory' && (this.memory?.buffer.byteLength ?? 0) > REFRESH_ABOVE_BYTES) this.reload();
        throw error;
      }
      if (error instanceof FlowdeckError) throw error;
      // Anything else escaped from inside the WASM module (a host stack overflow, an
      // abort): its memory may be half-updated, so nothing in it is touched again.
      this.crash();
      throw new ScriptFailure('crash', undefined, { cause: error });
    } finally {
      if (this.module === module && runtime) this.release(runtime, context, session, discardRuntime);
    }
  }

  /** Frees the shared runtime; QuickJS aborts here if any handle leaked, so tests call it. */
  dispose(): void {
    this.disposed = true;
    const runtime = this.sharedRuntime;
    this.sharedRuntime = undefined;
    this.module = undefined;
    runtime?.dispose();
  }

  private release(runtime: QuickJSRuntime, context: QuickJSContext | undefined, session: ScriptSession | undefined, discard: boolean): void {
    try {
      session?.close();
      context?.dispose();
      runtime.removeInterruptHandler();
      if (discard || runtime.hasPendingJob()) {
        if (runtime === this.sharedRuntime) this.sharedRuntime = undefined;
        runtime.dispose();
      }
    } catch {
      this.crash();
    }
  }

  private crash(): void {
    this.module = undefined;
    this.sharedRuntime = undefined;
    this.reload();
  }

  /** Loads a fresh module; the current one (if it still works) serves until it is ready. */
  private reload(): void {
    if (this.reloading) return;
    this.reloading = this.loadModule().then(
      (loaded) => {
        this.reloading = undefined;
        if (this.disposed) return;
        // The old module and its memory go with the last reference to them.
        this.module = loaded.module;
        this.memory = loaded.memory;
        this.sharedRuntime = undefined;
      },
      () => {
        // The next call tries again.
        this.reloading = undefined;
      },
    );
  }
}

export interface LoadedModule {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
}

/** A fresh, fully separate instance of the QuickJS WASM module, with its memory capped. */
export async function loadQuickJSModule(): Promise<LoadedModule> {
  const memory = new WebAssembly.Memory({
    initial: INITIAL_MEMORY_BYTES / WASM_PAGE_BYTES,
    maximum: WASM_MEMORY_CAP_BYTES / WASM_PAGE_BYTES,
  });
  const module = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory: memory }));
  return { module, memory };
}
