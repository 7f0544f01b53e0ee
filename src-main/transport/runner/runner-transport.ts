import { randomUUID } from 'node:crypto';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import { TransportError, type ConnectOptions, type Connection, type ExecRequest, type ExecResult, type Transport } from '../types';
import { ALIVE_WINDOW_MS, LOST_AFTER_MS, runnerQueue, zoneQueue } from './keys';
import type { RunnerClient } from './owner-client';
import { decodeEntry, jumpElements, toWireElement, type StepJob, type StreamEntry } from './protocol';
import type { RunnerSeen } from './registry';

/** How often a step waiting on a runner checks that the runner (or its zone, or Redis) is still there. */
const CHECK_MS = 1000;
/** Redis unreachable this long while a step runs on a runner: the step fails (its runner cannot report). */
const REDIS_LOST_AFTER_MS = 10_000;

export interface RunnerTransportOptions {
  /** The process's Redis client; rejects with a TransportError when none is configured. */
  client(): Promise<RunnerClient>;
  /** A runner took a step of `element` (to record on the step run). */
  onStarted?(element: string, runner: string): void;
}

const label = (e: ResolvedElement): string => `${e.id} (${e.host}:${e.port})`;

function noRunner(e: ResolvedElement, zone: string): TransportError {
  return new TransportError(
    'unavailable',
    `${label(e)}: no runner in zone ${zone} (none seen alive in the last ${ALIVE_WINDOW_MS / 1000} s); start one there: flowdeck runner --zone ${zone}`,
  );
}

const fresh = (r: RunnerSeen | undefined): r is RunnerSeen => r !== undefined && r.ageMs <= LOST_AFTER_MS;

/**
 * Runs an element's commands on a runner of its zone (`flowdeck runner --zone Z`), through
 * BullMQ on Redis. The owner keeps deciding everything; a runner only runs the command, with
 * its own transports and credentials, and streams the output back.
 *
 * A connection here stands for the runner's connection to the element: its first step goes to
 * the zone's queue (any runner), later ones to the queue of the runner that took the first, so
 * that runner's one SSH connection serves every step of the element in the execution. If that
 * runner is lost, the connection is dead and the pool opens a new one: the next step may go to
 * any runner.
 */
export function runnerTransport(opts: RunnerTransportOptions): Transport {
  return {
    kind: 'runner',
    async connect(element: ResolvedElement, co: ConnectOptions): Promise<Connection> {
      const zone = element.zone;
      if (!zone) throw new TransportError('unavailable', `${label(element)}: the element has no zone`);
      let client: RunnerClient;
      try {
        client = await opts.client();
        await client.ready();
      } catch (e) {
        throw placed(e, element);
      }
      const seen = await client.runners(zone).catch((e: unknown) => {
        throw placed(e, element);
      });
      if (seen.length === 0) throw noRunner(element, zone);
      return new RunnerConnection(client, element, zone, jumpElements(element, co.elements), opts.onStarted);
    },
  };
}

class RunnerConnection implements Connection {
  readonly id = randomUUID();
  /** The runner holding this connection's session with the element: its later steps go there. */
  private pinned: string | undefined;
  private lost: string | undefined;
  private everPinned = new Set<string>();

  constructor(
    private readonly client: RunnerClient,
    readonly element: ResolvedElement,
    readonly zone: string,
    private readonly jumps: StepJob['jumps'],
    private readonly onStarted: RunnerTransportOptions['onStarted'],
  ) {}

  alive(): boolean {
    return this.lost === undefined;
  }

  async close(): Promise<void> {
    if (this.everPinned.size === 0) return;
    await this.client.closeConnection(this.zone, this.id).catch(() => undefined);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (this.lost) throw new TransportError('unreachable', `${label(this.element)}: ${this.lost}`);
    if (req.signal.aborted) return { exitCode: null, signal: 'SIGTERM' };
    await this.client.ready().catch((e: unknown) => {
      throw placed(e, this.element);
    });
    const runners = await this.client.runners(this.zone).catch((e: unknown) => {
      throw placed(e, this.element);
    });
    if (runners.length === 0) throw noRunner(this.element, this.zone);
    const holder = runners.find((r) => r.name === this.pinned);
    const queue = this.pinned && fresh(holder) && !holder.draining ? runnerQueue(this.zone, this.pinned) : zoneQueue(this.zone);
    const job: StepJob = {
      v: 1,
      owner: this.client.ownerId,
      conn: this.id,
      element: toWireElement(this.element),
      jumps: this.jumps,
      command: req.command,
      ...(req.stdin !== undefined ? { stdin: req.stdin } : {}),
      env: req.env,
    };
    return new StepOnRunner(this, req, job).run(queue);
  }

  /** Called from a step: a runner took it. */
  took(runner: string): void {
    this.pinned = runner;
    this.everPinned.add(runner);
    this.onStarted?.(this.element.id, runner);
  }

  markLost(why: string): void {
    this.lost = why;
    this.pinned = undefined;
  }

  unpin(): void {
    this.pinned = undefined;
  }

  get redis(): RunnerClient {
    return this.client;
  }
}

/** One exec through a runner: queue the job, follow its stream, watch the runner, pass cancel on. */
class StepOnRunner {
  private jobId = '';
  private queue = '';
  private started: string | undefined;
  private settled = false;
  private unwatch: () => void = () => {};
  private timer: NodeJS.Timeout | undefined;
  private queuedAt = 0;
  private redisFailingSince: number | undefined;
  private checking = false;
  private cancelSent = false;
  private resolve!: (r: ExecResult) => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly conn: RunnerConnection,
    private readonly req: ExecRequest,
    private readonly job: StepJob,
  ) {}

  private get client(): RunnerClient {
    return this.conn.redis;
  }

  private get where(): string {
    return label(this.conn.element);
  }

  run(queue: string): Promise<ExecResult> {
    const done = new Promise<ExecResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.req.signal.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.submit(queue).catch((e: unknown) => this.fail(asTransportError(e, this.where, this.client.target.display)));
    return done;
  }

  private async submit(queue: string): Promise<void> {
    this.unwatch();
    this.jobId = randomUUID();
    this.queue = queue;
    this.started = undefined;
    this.queuedAt = Date.now();
    // Watch first: the stream is read from its start, so nothing the runner writes is missed.
    const jobId = this.jobId;
    this.unwatch = this.client.watch(jobId, (_id, fields) => {
      if (jobId !== this.jobId || this.settled) return;
      const entry = decodeEntry(fields);
      if (entry) this.onEntry(entry);
    });
    await this.client.enqueue(queue, jobId, this.job);
    if (this.req.signal.aborted) void this.cancel();
  }

  private onEntry(e: StreamEntry): void {
    switch (e.kind) {
      case 'start':
        this.started = e.runner;
        this.conn.took(e.runner);
        return;
      case 'output':
        this.req.onOutput(e.stream, e.data);
        return;
      case 'exit':
        return this.finish({ exitCode: e.exitCode, signal: e.signal });
      case 'fail':
        return this.fail(new TransportError(e.cause, `${e.message}${this.started ? ` (on runner ${this.started})` : ''}`));
      case 'back':
        // The runner is stopping and never started it: any other runner of the zone may.
        this.conn.unpin();
        if (this.req.signal.aborted) return this.finish({ exitCode: null, signal: 'SIGTERM' });
        this.submit(zoneQueue(this.conn.zone)).catch((err: unknown) => this.fail(asTransportError(err, this.where, this.client.target.display)));
        return;
    }
  }

  private readonly onAbort = (): void => {
    void this.cancel();
  };

  private async cancel(): Promise<void> {
    if (this.settled || !this.jobId) return;
    this.cancelSent = true;
    try {
      await this.client.cancel(this.conn.zone, this.jobId);
      // Still waiting in a queue: it never ran, and now never will.
      if (!this.started && (await this.client.removeWaiting(this.queue, this.jobId))) this.finish({ exitCode: null, signal: 'SIGTERM' });
    } catch {
      // Redis away: the checks below end the step when it does not come back.
    }
  }

  private async check(): Promise<void> {
    if (this.settled || this.checking || !this.jobId) return;
    this.checking = true;
    try {
      const runners = await this.client.runners(this.conn.zone);
      this.redisFailingSince = undefined;
      if (this.settled) return;
      if (this.cancelSent && !this.started) await this.cancel();
      const byName = (n: string | undefined): RunnerSeen | undefined => runners.find((r) => r.name === n);
      if (this.started) {
        const r = byName(this.started);
        if (!fresh(r)) return this.lose(this.started, r);
        return;
      }
      const onRunnerQueue = this.queue !== zoneQueue(this.conn.zone);
      if (onRunnerQueue) {
        const holder = byName(this.queue.split('/').at(-1));
        if ((!fresh(holder) || holder.draining) && (await this.client.removeWaiting(this.queue, this.jobId))) {
          // Its runner is gone or stopping and never took it: the zone's other runners may.
          this.conn.unpin();
          await this.submit(zoneQueue(this.conn.zone));
          return;
        }
      } else if (runners.length === 0 && (await this.client.removeWaiting(this.queue, this.jobId))) {
        return this.fail(noRunner(this.conn.element, this.conn.zone));
      }
      if (Date.now() - this.queuedAt > LOST_AFTER_MS) {
        // Taken by a runner that has not said so: one that died between taking it and starting.
        const { state, runner } = await this.client.jobState(this.queue, this.jobId);
        if (this.settled || this.started) return;
        if (state === 'active' && runner && !fresh(byName(runner))) return this.lose(runner, byName(runner));
        // Gone from the queue without a word on the stream: the stalled check failed it (removed
        // at once), so the runner that took it died before it could start.
        if ((state === 'failed' || state === 'unknown') && !(await this.client.hasOutput(this.jobId)) && !this.settled && !this.started) {
          return this.lose(runner ?? 'that took the step', undefined);
        }
      }
    } catch (e) {
      const now = Date.now();
      this.redisFailingSince ??= now;
      if (now - this.redisFailingSince >= REDIS_LOST_AFTER_MS) {
        this.fail(new TransportError('unavailable', `${this.where}: lost Redis at ${this.client.target.display} while ${this.started ? `runner ${this.started} ran` : 'waiting to run'} the step: ${e instanceof Error ? e.message : String(e)}`));
      }
    } finally {
      this.checking = false;
    }
  }

  private lose(runner: string, seen: RunnerSeen | undefined): void {
    const silent = seen ? `no heartbeat for ${Math.round(seen.ageMs / 1000)} s` : 'it stopped announcing itself';
    const why = `runner ${runner} lost (${silent}) while it ran the step`;
    this.conn.markLost(why);
    // If it comes back, it must not go on running a command nobody waits for.
    void this.client.cancel(this.conn.zone, this.jobId).catch(() => undefined);
    this.fail(new TransportError('unreachable', `${this.where}: ${why}`));
  }

  private cleanup(): void {
    this.settled = true;
    if (this.timer) clearInterval(this.timer);
    this.req.signal.removeEventListener('abort', this.onAbort);
    this.unwatch();
    if (this.jobId) this.client.forget(this.jobId);
  }

  private finish(r: ExecResult): void {
    if (this.settled) return;
    this.cleanup();
    this.resolve(r);
  }

  private fail(e: Error): void {
    if (this.settled) return;
    this.cleanup();
    this.reject(e);
  }
}

/** A transport error about Redis, told about the element whose step it stopped. */
function placed(e: unknown, element: ResolvedElement): TransportError {
  const message = `${label(element)}: zone ${element.zone ?? '?'}: ${e instanceof Error ? e.message : String(e)}`;
  return new TransportError(e instanceof TransportError ? e.cause_ : 'unavailable', message);
}

function asTransportError(e: unknown, where: string, redis: string): TransportError {
  if (e instanceof TransportError) return e;
  return new TransportError('unavailable', `${where}: could not queue the step on Redis at ${redis}: ${e instanceof Error ? e.message : String(e)}`);
}
