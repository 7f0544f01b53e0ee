import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { FlowdeckError } from '../../src-shared/errors';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { openDb } from '../store/db';
import { keyFileCipher } from '../secrets/cipher';
import { credentialSecretLookup } from '../store/credential-queries';
import { localTransport } from '../transport/local';
import { sshTransport } from '../transport/ssh';
import { TransportError } from '../transport/types';
import {
  cancelKey,
  controlChannel,
  HEARTBEAT_MS,
  LOCK_DURATION_MS,
  ownerKey,
  OWNER_TTL_MS,
  PREFIX,
  runnerInfoKey,
  runnerQueue,
  STALLED_INTERVAL_MS,
  zoneQueue,
} from '../transport/runner/keys';
import { stepJobSchema, type StepJob } from '../transport/runner/protocol';
import { deregister, heartbeat, zoneRunners, type RunnerInfo } from '../transport/runner/registry';
import type { RedisTarget } from '../transport/runner/redis-target';
import { describeRedisError } from '../transport/runner/owner-client';
import { RunnerConnections } from './connections';
import { OutputWriter } from './output-writer';
import { runnerSecrets } from './runner-secrets';
import { Slots } from './slots';
import { flowdeckVersion } from './version';

export interface RunnerOptions {
  zone: string;
  name: string;
  concurrency: number;
  redis: RedisTarget;
  /** The runner's own database: its credentials and trusted host keys. */
  dbPath: string;
  /** OpenSSH known_hosts read besides the database's own table (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** One line for the operator; never given anything from a job. */
  say(line: string): void;
}

export interface RunningRunner {
  readonly info: RunnerInfo;
  /** Stops taking steps, hands back those not started, waits for those running; `force` kills them. */
  stop(force?: boolean): Promise<void>;
}

/** How often the owners of running steps are checked, and a runner cut off from Redis gives up. */
const SWEEP_MS = 5000;
/** The longest a stopping runner waits for Redis at each step of its shutdown. */
const STOP_WAIT_MS = 3000;

/** Resolves when `p` settles or after `ms`, whichever comes first; never rejects. */
function within(ms: number, p: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(noop, noop), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

function noop(): void {}

/** QUIT each connection, or drop it when Redis does not answer. */
async function quitOrDrop(conns: Redis[]): Promise<void> {
  await Promise.all(
    conns.map(async (c) => {
      await within(STOP_WAIT_MS, c.quit());
      c.disconnect();
    }),
  );
}

type StopReason = 'cancel' | 'owner-gone' | 'runner-stopped' | 'redis-lost';

interface Running {
  owner: string;
  abort: AbortController;
  reason: StopReason | undefined;
}

/**
 * `flowdeck runner`: takes steps of its zone from Redis (BullMQ) and runs them on the hosts
 * with its own transports and credentials, streaming the output back. It knows nothing of
 * flows: each job is one command on one element. Nothing of a job is printed or kept.
 */
export async function startRunner(opts: RunnerOptions): Promise<RunningRunner> {
  const db = openDb(opts.dbPath);
  const cipher = keyFileCipher(opts.dbPath);
  const secrets = runnerSecrets(db, cipher, opts.dbPath, [opts.redis.options.password ?? ''].filter(Boolean));
  const ssh = sshTransport({
    db,
    credential: credentialSecretLookup(db, cipher),
    // Jump hosts come resolved with each job; nothing is looked up in a local inventory.
    element: () => undefined,
    ...(opts.knownHostsFile ? { knownHostsFile: opts.knownHostsFile } : {}),
  });
  const connections = new RunnerConnections((e: ResolvedElement) => (e.transport === 'local' ? localTransport : ssh));
  const slots = new Slots(opts.concurrency);
  const running = new Map<string, Running>();
  const stopping = new AbortController();
  const host = hostname();
  const info: RunnerInfo = {
    zone: opts.zone,
    name: opts.name,
    host,
    version: flowdeckVersion(),
    pid: process.pid,
    instance: randomUUID(),
    concurrency: opts.concurrency,
    running: 0,
    startedAt: Date.now(),
    state: 'running',
  };

  // Commands queue while Redis is away and go when it is back, so output is not lost in a blip.
  const command = new Redis({ ...opts.redis.options, lazyConnect: true, maxRetriesPerRequest: null, connectionName: `flowdeck-runner-${opts.name}` });
  const control = new Redis({ ...opts.redis.options, lazyConnect: true, maxRetriesPerRequest: null, connectionName: `flowdeck-runner-${opts.name}-control` });
  let redisDown: string | undefined;
  let lastRedisOk = Date.now();
  for (const c of [command, control]) {
    c.on('error', (e: Error) => {
      const why = describeRedisError(e);
      if (redisDown !== why) opts.say(`flowdeck runner: Redis at ${opts.redis.display}: ${why}`);
      redisDown = why;
    });
    c.on('ready', () => {
      if (redisDown !== undefined) opts.say(`flowdeck runner: Redis at ${opts.redis.display} is back`);
      redisDown = undefined;
    });
  }
  try {
    await Promise.all([command.connect(), control.connect()]);
  } catch (e) {
    command.disconnect();
    control.disconnect();
    db.close();
    throw new FlowdeckError('transport', `cannot reach Redis at ${opts.redis.display}: ${describeRedisError(e as Error)}`);
  }

  const close = async (): Promise<void> => {
    await quitOrDrop([command, control]);
    db.close();
  };

  // Two processes under one name would take each other's steps; a restart after a crash waits a few seconds.
  const twin = (await zoneRunners(command, opts.zone, 3 * HEARTBEAT_MS)).find((r) => r.name === opts.name);
  if (twin) {
    const twinHost = await command.hget(runnerInfoKey(opts.zone, opts.name), 'host');
    await close();
    throw new FlowdeckError(
      'conflict',
      `a runner named ${opts.name} already runs in zone ${opts.zone}${twinHost ? ` (on ${twinHost})` : ''}, last seen ${Math.round(twin.ageMs / 1000)} s ago: give this one another --name`,
    );
  }

  const beat = async (): Promise<void> => {
    info.running = running.size;
    await heartbeat(command, info);
    lastRedisOk = Date.now();
  };
  await beat();
  const beatTimer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);

  // Cancels and connection closes from owners, for the whole zone: the runner holding the job or connection acts.
  await control.subscribe(controlChannel(opts.zone));
  control.on('message', (_channel: string, message: string) => {
    const [verb, id] = message.split(' ');
    if (!id) return;
    if (verb === 'cancel') stopJob(id, 'cancel');
    else if (verb === 'close') connections.close(id);
  });

  const endedWaiters: Array<() => void> = [];
  const allEnded = (): Promise<void> => (running.size === 0 ? Promise.resolve() : new Promise((resolve) => endedWaiters.push(resolve)));

  function stopJob(jobId: string, reason: StopReason): void {
    const r = running.get(jobId);
    if (!r || r.abort.signal.aborted) return;
    r.reason = reason;
    r.abort.abort();
  }

  const sweep = async (): Promise<void> => {
    if (Date.now() - lastRedisOk > OWNER_TTL_MS) {
      // No owner can hear this runner any more, and it cannot hear a cancel: stop rather than run on blind.
      for (const id of running.keys()) stopJob(id, 'redis-lost');
      return;
    }
    const owners = new Set([...running.values()].map((r) => r.owner));
    for (const o of connections.owners()) owners.add(o);
    if (owners.size === 0) return;
    const list = [...owners];
    const exists = await Promise.all(list.map((o) => command.exists(ownerKey(o))));
    const gone = new Set(list.filter((_, i) => exists[i] === 0));
    if (gone.size === 0) return;
    // The process that owned these steps died: as its lifeline would, stop what it started.
    for (const [id, r] of running) if (gone.has(r.owner)) stopJob(id, 'owner-gone');
    connections.sweep(gone);
  };
  const sweepTimer = setInterval(() => void sweep().catch(() => undefined), SWEEP_MS);

  async function runJob(job: Job): Promise<void> {
    const jobId = job.id as string;
    const out = new OutputWriter(command, jobId, secrets());
    const parsed = stepJobSchema.safeParse(job.data);
    if (!parsed.success) {
      await out.fail('protocol', `runner ${opts.name} (Flowdeck ${info.version}) cannot read this step's job; run the same Flowdeck version on the owner and the runners`);
      return;
    }
    const data: StepJob = parsed.data;
    const abort = new AbortController();
    if (stopping.signal.aborted || !(await slots.acquire(stopping.signal))) {
      await out.back(`runner ${opts.name} is stopping`);
      return;
    }
    const entry: Running = { owner: data.owner, abort, reason: undefined };
    running.set(jobId, entry);
    try {
      // Said first, checked in the same round trip: a cancel published while the job waited for a
      // slot was not heard (it was not running yet), but it left its mark.
      out.start(opts.name, host);
      const [cancelled, ownerAlive] = await Promise.all([command.exists(cancelKey(jobId)), command.exists(ownerKey(data.owner))]);
      if (cancelled === 1) return await out.exit(null, 'SIGTERM');
      if (ownerAlive === 0) return await out.fail('unavailable', `the process that queued this step is gone`);
      info.running = running.size;
      try {
        const conn = await connections.get(data, abort.signal);
        const res = await conn.exec({
          command: data.command,
          ...(data.stdin !== undefined ? { stdin: data.stdin } : {}),
          env: { ...data.env, FLOWDECK_RUNNER: opts.name },
          signal: abort.signal,
          onOutput: (stream, chunk) => out.output(stream, chunk),
        });
        if (entry.reason === 'runner-stopped') await out.fail('unavailable', `runner ${opts.name} was stopped while the step ran; its command was killed`);
        else if (entry.reason === 'redis-lost') await out.fail('unavailable', `runner ${opts.name} lost Redis while the step ran; its command was killed`);
        else await out.exit(res.exitCode, res.signal);
      } catch (e) {
        const cause = e instanceof TransportError ? e.cause_ : 'protocol';
        await out.fail(cause, e instanceof Error ? e.message : String(e));
      }
    } catch {
      // Redis failed under the writes: the owner notices on its own (the stream ends without an end).
    } finally {
      running.delete(jobId);
      info.running = running.size;
      slots.release();
      if (running.size === 0) for (const wake of endedWaiters.splice(0)) wake();
    }
  }

  // BullMQ duplicates each for its blocking reads; it leaves the ones given here for us to close.
  const workerConnections = [0, 1].map(() => new Redis({ ...opts.redis.options, maxRetriesPerRequest: null, connectionName: `flowdeck-runner-${opts.name}-queue` }));
  const workerOptions = {
    prefix: PREFIX,
    concurrency: opts.concurrency,
    name: opts.name,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    // A step that stalled (its runner died) is never run again silently: the owner's retries decide.
    maxStalledCount: 0,
  };
  const workers = [zoneQueue(opts.zone), runnerQueue(opts.zone, opts.name)].map(
    (queue, i) => new Worker(queue, runJob, { ...workerOptions, connection: workerConnections[i] as Redis }),
  );
  for (const w of workers) {
    w.on('error', (e: Error) => {
      if (!redisDown) opts.say(`flowdeck runner: queue error: ${describeRedisError(e)}`);
    });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  let stopped: Promise<void> | undefined;
  return {
    info,
    stop(force = false): Promise<void> {
      if (force) for (const id of running.keys()) stopJob(id, 'runner-stopped');
      stopped ??= (async () => {
        info.state = 'draining';
        stopping.abort();
        // With Redis away, nothing here may wait for it forever: each call gets a bounded wait.
        await within(STOP_WAIT_MS, beat());
        // Waits for the steps running now; their heartbeats go on meanwhile, so owners keep waiting.
        const closing = Promise.all(workers.map((w) => w.close()));
        await allEnded();
        await within(STOP_WAIT_MS, closing);
        clearInterval(beatTimer);
        clearInterval(sweepTimer);
        await within(STOP_WAIT_MS, deregister(command, opts.zone, opts.name, info.instance));
        await connections.closeAll();
        await quitOrDrop(workerConnections);
        await close();
      })();
      return stopped;
    },
  };
}
