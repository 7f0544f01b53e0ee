import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { FlowdeckError, type SerializedError } from '../../src-shared/errors';
import type { MainToWorker, SandboxRequest, SandboxResults, WorkerToMain } from './protocol';
import { sandboxWorkerEntry, type WorkerEntry } from './worker-entry';

/** Why a call ended without an answer from its worker. */
export type KillReason = 'deadline' | 'crash' | 'memory' | 'closed';

interface Job {
  id: number;
  request: SandboxRequest;
  /** Wall time the call may take once a worker has it, before the worker is terminated. */
  deadlineMs: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** The error for a call that was cut short. */
  killed(reason: KillReason, detail: string): FlowdeckError;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | undefined;
  /** When the current job was handed to the worker (performance.now()). */
  since: number;
  deadline: NodeJS.Timeout | undefined;
  idle: NodeJS.Timeout | undefined;
  /** The end of what the worker wrote on stderr (QuickJS prints why it aborted there). */
  stderrTail: string;
  /** The job's deadline passed and the worker is being terminated. */
  killing: boolean;
}

export interface PoolOptions {
  /** Workers at most (default: the cores, between 2 and 4). */
  maxWorkers?: number;
  /** A worker beyond the first ends after this long without work. */
  idleMs?: number;
  /** A worker's own JavaScript heap (the QuickJS memory is capped separately, inside the worker). */
  heapMb?: number;
  entry?: () => WorkerEntry;
}

const STDERR_TAIL_CHARS = 400;
/**
 * A call that waits while every worker is busy gets a new worker only once the busy ones have
 * been at it this long: a burst of quick `when:` checks is served faster by one warm worker
 * than by starting others, while a slow script soon gets company so it delays nobody.
 */
const SPARE_AFTER_MS = 25;

/**
 * Worker threads that run sandbox calls, one call per worker at a time. A call gets a worker
 * as soon as one is free (another is started, up to the maximum, when all are busy), and a
 * call that outlives its deadline has its worker terminated and replaced: the caller gets a
 * timeout error, the other calls never notice. Idle workers do not keep the process alive.
 */
export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly maxWorkers: number;
  private readonly idleMs: number;
  private readonly heapMb: number;
  private readonly entry: () => WorkerEntry;
  private nextId = 1;
  private closed = false;
  /** Workers that died before they were ready, in a row: a broken build must not respawn forever. */
  private failedStarts = 0;
  private recheck: NodeJS.Timeout | undefined;

  constructor(options: PoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(4, Math.max(2, availableParallelism())));
    this.idleMs = options.idleMs ?? 30_000;
    this.heapMb = options.heapMb ?? 256;
    this.entry = options.entry ?? sandboxWorkerEntry;
  }

  call<K extends SandboxRequest['op']>(
    request: Extract<SandboxRequest, { op: K }>,
    deadlineMs: number,
    killed: (reason: KillReason, detail: string) => FlowdeckError,
  ): Promise<SandboxResults[K]> {
    if (this.closed) return Promise.reject(new FlowdeckError('internal', 'the script sandbox has been shut down'));
    return new Promise<SandboxResults[K]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, deadlineMs, resolve: resolve as (value: unknown) => void, reject, killed });
      this.pump();
    });
  }

  /** Workers running now (for tests and diagnostics). */
  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.recheck);
    for (const job of this.queue.splice(0)) job.reject(job.killed('closed', 'the script sandbox was shut down'));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot, 'closed', 'the script sandbox was shut down')));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const free = this.slots.find((slot) => slot.ready && !slot.job && !slot.killing);
      if (!free) break;
      this.start(free, this.queue.shift() as Job);
    }
    if (this.queue.length === 0 || this.closed) return;
    const usable = this.slots.filter((slot) => !slot.killing);
    if (usable.some((slot) => !slot.ready) || usable.length >= this.maxWorkers) return;
    const now = performance.now();
    const busySince = Math.max(...usable.map((slot) => slot.since), -Infinity);
    if (usable.length === 0 || now - busySince >= SPARE_AFTER_MS) {
      this.spawn();
      return;
    }
    if (!this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.pump();
      }, SPARE_AFTER_MS);
    }
  }

  private start(slot: Slot, job: Job): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = undefined;
    slot.job = job;
    slot.since = performance.now();
    slot.worker.ref();
    slot.deadline = setTimeout(() => {
      slot.killing = true;
      void this.stop(slot, 'deadline', `ran past its deadline of ${job.deadlineMs} ms`);
    }, job.deadlineMs);
    const message: MainToWorker = { type: 'job', id: job.id, request: job.request };
    slot.worker.postMessage(message);
  }

  private spawn(): void {
    const entry = this.entry();
    const worker = new Worker(entry.target, {
      eval: entry.eval,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    const slot: Slot = { worker, ready: false, job: undefined, since: 0, deadline: undefined, idle: undefined, stderrTail: '', killing: false };
    this.slots.push(slot);
    worker.stdout.resume();
    worker.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      slot.stderrTail = (slot.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    worker.on('message', (message: WorkerToMain) => this.onMessage(slot, message));
    worker.on('error', (error: Error) => {
      const code = (error as NodeJS.ErrnoException).code;
      this.lost(slot, code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', error.message);
    });
    worker.on('exit', (code) => this.lost(slot, 'crash', `the sandbox worker exited with code ${code}`));
  }

  private onMessage(slot: Slot, message: WorkerToMain): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.failedStarts = 0;
      this.idle(slot);
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id || slot.killing) return;
    clearTimeout(slot.deadline);
    slot.deadline = undefined;
    slot.job = undefined;
    if (message.ok) job.resolve(message.value);
    else job.reject(toFlowdeckError(message.error));
    if (!message.ok && message.retire) {
      // The worker exits by itself; its 'exit' removes the slot and starts a replacement.
      slot.killing = true;
      return;
    }
    this.idle(slot);
    this.pump();
  }

  /** No job: let the process exit around it, and end it after a while if it is not the only one. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    if (this.slots.length > 1) {
      slot.idle = setTimeout(() => {
        if (!slot.job && this.slots.length > 1) void this.stop(slot, 'closed', 'idle');
      }, this.idleMs);
      slot.idle.unref();
    }
  }

  /** Terminates a worker; its job, if any, fails with `reason`. */
  private async stop(slot: Slot, reason: KillReason, detail: string): Promise<void> {
    this.fail(slot, reason, detail);
    this.remove(slot);
    await slot.worker.terminate();
    this.pump();
  }

  /** The worker died (crash, out of memory, exit) or was terminated. */
  private lost(slot: Slot, reason: KillReason, detail: string): void {
    if (!this.slots.includes(slot)) return;
    const wasReady = slot.ready;
    this.fail(slot, reason, this.explain(slot, detail));
    this.remove(slot);
    if (!wasReady && !this.closed) {
      this.failedStarts += 1;
      // Two starts in a row failed: the worker cannot load here; say so instead of looping.
      if (this.failedStarts >= 2 && !this.slots.some((other) => other.ready)) {
        const why = this.explain(slot, detail);
        for (const job of this.queue.splice(0)) job.reject(new FlowdeckError('internal', `the script sandbox could not start: ${why}`));
        this.failedStarts = 0;
        return;
      }
    }
    this.pump();
  }

  private fail(slot: Slot, reason: KillReason, detail: string): void {
    clearTimeout(slot.deadline);
    clearTimeout(slot.idle);
    const job = slot.job;
    slot.job = undefined;
    if (job) job.reject(job.killed(reason, detail));
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private explain(slot: Slot, detail: string): string {
    const aborted = /Aborted\(([^)]*)\)/.exec(slot.stderrTail);
    return aborted?.[1] ? `${detail}: ${aborted[1]}` : detail;
  }
}

function toFlowdeckError(error: SerializedError): FlowdeckError {
  return new FlowdeckError(error.code, error.message, error.location);
}
