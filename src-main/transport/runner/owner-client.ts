import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { TransportError } from '../types';
import { cancelKey, controlChannel, LEFTOVER_TTL_MS, outputKey, OWNER_RENEW_MS, OWNER_TTL_MS, ownerKey, PREFIX, ALIVE_WINDOW_MS } from './keys';
import type { StepJob } from './protocol';
import { zoneRunners, type RunnerSeen } from './registry';
import type { RedisTarget } from './redis-target';
import { StreamReader } from './stream-reader';

/** How long a step waits for Redis to come back before it fails. */
const READY_WAIT_MS = 5000;
/** Zone liveness read by many steps at once is shared for this long. */
const ZONE_CACHE_MS = 500;

/**
 * The owner's side of Redis, one per process, opened at the first step of a zoned element:
 * a command connection (jobs, cancels, liveness), one blocking connection reading every
 * step's output stream, and a key that says this process is alive (renewed every few seconds)
 * so runners stop the commands of an owner that died.
 */
export class RunnerClient {
  readonly ownerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly command: Redis;
  private readonly blocker: Redis;
  private readonly reader: StreamReader;
  private readonly queues = new Map<string, Queue>();
  private readonly zoneCache = new Map<string, { at: number; value: Promise<RunnerSeen[]> }>();
  private renewTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private lastError = '';

  constructor(readonly target: RedisTarget) {
    // No offline queue: with Redis away a step fails now with the reason, instead of hanging.
    const base = { ...target.options, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
    this.command = new Redis({ ...base, connectionName: 'flowdeck-owner' });
    this.blocker = new Redis({ ...base, connectionName: 'flowdeck-owner-reader' });
    for (const c of [this.command, this.blocker]) c.on('error', (e: Error) => (this.lastError = describeRedisError(e)));
    this.reader = new StreamReader(this.blocker, this.command);
  }

  /** Resolves once Redis answers; a TransportError saying why when it does not within a few seconds. */
  async ready(): Promise<void> {
    if (this.command.status === 'ready' && this.blocker.status === 'ready') return;
    if (!this.connecting) {
      this.connecting = (async () => {
        await Promise.all([connectOnce(this.command), connectOnce(this.blocker)]);
        this.reader.start();
        await this.renewOwner();
        this.renewTimer = setInterval(() => void this.renewOwner().catch(() => undefined), OWNER_RENEW_MS);
        this.renewTimer.unref();
      })();
      this.connecting.catch(() => (this.connecting = undefined));
    }
    const failed = (): TransportError =>
      new TransportError('unavailable', `cannot reach Redis at ${this.target.display}${this.lastError ? `: ${this.lastError}` : ''} (runners take zoned steps through it)`);
    try {
      await withTimeout(this.connecting, READY_WAIT_MS);
      if (this.command.status !== 'ready' || this.blocker.status !== 'ready') {
        await withTimeout(Promise.all([readyEvent(this.command), readyEvent(this.blocker)]), READY_WAIT_MS);
      }
    } catch {
      throw failed();
    }
  }

  private async renewOwner(): Promise<void> {
    await this.command.set(ownerKey(this.ownerId), '1', 'PX', OWNER_TTL_MS);
  }

  /** Runners of the zone heard from within the last ALIVE_WINDOW_MS; shared briefly between steps. */
  runners(zone: string, fresh = false): Promise<RunnerSeen[]> {
    const hit = this.zoneCache.get(zone);
    if (!fresh && hit && Date.now() - hit.at < ZONE_CACHE_MS) return hit.value;
    const value = zoneRunners(this.command, zone, ALIVE_WINDOW_MS);
    this.zoneCache.set(zone, { at: Date.now(), value });
    value.catch(() => this.zoneCache.delete(zone));
    return value;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.command, prefix: PREFIX, skipWaitingForReady: true });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Queues a step; the job (with its command and env) is deleted from Redis as soon as it ends. */
  async enqueue(queue: string, jobId: string, job: StepJob): Promise<void> {
    await this.queue(queue).add('step', job, { jobId, attempts: 1, removeOnComplete: true, removeOnFail: true });
  }

  /** Takes back a job no runner has started; false when one already has. */
  async removeWaiting(queue: string, jobId: string): Promise<boolean> {
    const state = await this.queue(queue).getJobState(jobId);
    if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
    return (await this.queue(queue).remove(jobId)) === 1;
  }

  /** The job's state, and the runner that took it (BullMQ records the worker's name). */
  async jobState(queue: string, jobId: string): Promise<{ state: string; runner: string | undefined }> {
    const q = this.queue(queue);
    const state = await q.getJobState(jobId);
    const job = state === 'active' ? await q.getJob(jobId) : undefined;
    return { state, runner: job?.processedBy };
  }

  /** Tells the zone's runners to stop the job's command; a runner that takes it later sees the mark. */
  async cancel(zone: string, jobId: string): Promise<void> {
    await this.command.multi().set(cancelKey(jobId), '1', 'PX', LEFTOVER_TTL_MS).publish(controlChannel(zone), `cancel ${jobId}`).exec();
  }

  /** The owner closed its connection to an element: the runner holding it closes its own. */
  async closeConnection(zone: string, connId: string): Promise<void> {
    await this.command.publish(controlChannel(zone), `close ${connId}`);
  }

  /** Whether a runner wrote anything for the job (its start comes first). */
  async hasOutput(jobId: string): Promise<boolean> {
    return (await this.command.exists(outputKey(jobId))) === 1;
  }

  watch(jobId: string, handler: (id: string, fields: Buffer[]) => void): () => void {
    return this.reader.watch(outputKey(jobId), handler);
  }

  /** A finished step's stream and cancel mark go at once; whatever a crash leaves expires. */
  forget(jobId: string): void {
    if (this.command.status !== 'ready') return;
    this.command.del(outputKey(jobId), cancelKey(jobId)).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    if (this.command.status === 'ready') await this.command.del(ownerKey(this.ownerId)).catch(() => undefined);
    const reading = this.reader.close();
    this.blocker.disconnect();
    await reading;
    await this.command.quit().catch(() => this.command.disconnect());
  }
}

function connectOnce(c: Redis): Promise<void> {
  if (c.status === 'ready') return Promise.resolve();
  if (c.status === 'wait') return c.connect();
  return readyEvent(c);
}

function readyEvent(c: Redis): Promise<void> {
  if (c.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => c.once('ready', () => resolve()));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** ioredis's errors as an operator reads them: "connection refused", "wrong password". */
export function describeRedisError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is redis-server running there?)';
  if (code === 'ENOTFOUND') return 'unknown host name';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (/WRONGPASS|invalid username-password/i.test(e.message)) return 'wrong password or user';
  if (/NOAUTH/i.test(e.message)) return 'Redis wants a password and the URL gives none';
  return e.message;
}
