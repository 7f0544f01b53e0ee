import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type Intrinsics,
  type QuickJSContext,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { FlowdeckError } from '../../src-shared/errors';
import type { SandboxLimits } from './limits';
import { CallGuard, ScriptFailure, ScriptSession } from './script-session';

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
export const WASM_MEMORY_CAP_BYTES = 256 * 1024 * 1024;
const WASM_PAGE_BYTES = 64 * 1024;
const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;
/**
 * WASM memory never shrinks; past this, a fresh module replaces the bloated one after the
 * call, so memory a big script freed cannot be reused by the next one unseen by CallGuard.
 */
const REFRESH_ABOVE_BYTES = 96 * 1024 * 1024;

/**
 * Promise is on although nothing runs the job queue: without it QuickJS-ng still compiles
 * `async` functions and `import()`, and the half-built objects they leave make it abort when
 * the runtime is freed. With it, such code yields a promise or a pending job, which
 * ScriptSession turns into a clear error.
 */
const baseIntrinsics: Intrinsics = { BaseObjects: true, Eval: true, JSON: true, RegExp: true, Date: true, MapSet: true, Promise: true };
/** Processing runs once per run, so it also gets the rarely used (and costlier) built-ins. */
const processingIntrinsics: Intrinsics = { ...baseIntrinsics, StringNormalize: true, Proxy: true, TypedArrays: true };

export type RunPurpose = 'processing' | 'expression';

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

  /** False from a crash until the replacement module is loaded. */
  get healthy(): boolean {
    return this.module !== undefined && !this.disposed;
  }

  /** Resolves once the engine can run scripts again after a crash. */
  async ready(): Promise<void> {
    // A reload started at the bottom of an exhausted stack may itself have failed: retry.
    for (let attempt = 0; attempt < 3 && !this.disposed; attempt++) {
      if (this.module && !this.reloading) return;
      if (!this.module) this.reload();
      await this.reloading;
    }
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
      const guard = new CallGuard(runtime, limits, () => this.memory?.buffer.byteLength ?? 0);
      context = runtime.newContext({ intrinsics: purpose === 'processing' ? processingIntrinsics : baseIntrinsics });
      session = new ScriptSession(context, guard);
      return body(session);
    } catch (error) {
      if (error instanceof ScriptFailure) {
        if (error.kind !== 'thrown') discardRuntime = true;
        throw error;
      }
      if (error instanceof FlowdeckError) throw error;
      // Anything else escaped from inside the WASM module (a host stack overflow, an
      // abort): its memory may be half-updated, so nothing in it is touched again.
      this.crash();
      throw new ScriptFailure('crash', undefined, { cause: error });
    } finally {
      if (this.module === module && runtime) this.release(runtime, context, session, discardRuntime);
      if (this.module === module && (this.memory?.buffer.byteLength ?? 0) > REFRESH_ABOVE_BYTES) this.reload();
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
    try {
      // Not right here: a crash is often a host stack overflow, with no stack left to load on.
      queueMicrotask(() => this.reload());
    } catch {
      // The next call or ready() reloads.
    }
  }

  /** Loads a fresh module; the current one (if it still works) serves until it is ready. */
  private reload(): void {
    if (this.reloading || this.disposed) return;
    try {
      this.startReload();
    } catch {
      // Called at the bottom of an exhausted host stack; the next call or ready() retries.
    }
  }

  private startReload(): void {
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
