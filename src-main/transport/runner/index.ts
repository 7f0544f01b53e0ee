import type { Db } from '../../store/db';
import { recordStepRunRunner } from '../../store/runner-queries';
import { formatError } from '../../../src-shared/errors';
import { TransportError, type Transport } from '../types';
import type { RunnerClient } from './owner-client';
import { REDIS_URL_ENV, redisTarget } from './redis-target';
import type { RunnerTransportOptions } from './runner-transport';

export interface ZonedTransport extends Transport {
  /** Closes the Redis connections, if any step ever opened them. */
  close(): Promise<void>;
}

/**
 * The transport of elements with a zone, for one process: Redis is opened at the first such
 * step (so a process that never runs one never needs Redis), found through FLOWDECK_REDIS_URL.
 * Each step run records the runner that took it.
 */
export function zonedTransport(db: Db, env: NodeJS.ProcessEnv = process.env): ZonedTransport {
  let client: Promise<RunnerClient> | undefined;
  let transport: Promise<Transport> | undefined;
  const options: RunnerTransportOptions = {
    client() {
      if (client) return client;
      const url = env[REDIS_URL_ENV];
      if (!url) {
        return Promise.reject(
          new TransportError('unavailable', `zoned elements run on runners through Redis, and ${REDIS_URL_ENV} is not set (redis://:PASSWORD@host:port)`),
        );
      }
      let target: ReturnType<typeof redisTarget>;
      try {
        target = redisTarget(url, env);
      } catch (e) {
        return Promise.reject(new TransportError('unavailable', `${REDIS_URL_ENV}: ${formatError(e)}`));
      }
      // BullMQ and ioredis load with the first zoned step: a run without one never pays for them.
      client = import('./owner-client').then(({ RunnerClient }) => new RunnerClient(target));
      return client;
    },
    onStarted: (element, runner) => recordStepRunRunner(db, element, runner),
  };
  return {
    kind: 'runner',
    async connect(element, opts) {
      // The runner protocol (and the schemas of its messages) loads with the first zoned step too.
      transport ??= import('./runner-transport').then(({ runnerTransport }) => runnerTransport(options));
      return (await transport).connect(element, opts);
    },
    async close() {
      const c = client;
      client = undefined;
      await (await c?.catch(() => undefined))?.close();
    },
  };
}
