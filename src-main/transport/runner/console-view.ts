import type { RunnersView } from '../../../src-shared/ipc/contract';
import { formatError } from '../../../src-shared/errors';
import { ALIVE_WINDOW_MS } from './keys';
import { REDIS_URL_ENV, redisTarget } from './redis-target';

/** The console asks now and then: a slow or absent Redis answers within this. */
const ASK_TIMEOUT_MS = 3000;

/**
 * The runners Redis knows of, by zone, for the console: one short connection per question, so
 * a console that never shows runners holds no Redis connection. No password is ever in it.
 */
export async function runnersView(env: NodeJS.ProcessEnv = process.env): Promise<RunnersView> {
  const url = env[REDIS_URL_ENV];
  if (!url) return { redis: null, zones: [] };
  let target;
  try {
    target = redisTarget(url, env);
  } catch (e) {
    return { redis: { url: `(${REDIS_URL_ENV} is not a Redis URL)`, reachable: false, error: formatError(e) }, zones: [] };
  }
  const [{ Redis }, { listRunners }, { describeRedisError }] = await Promise.all([import('ioredis'), import('./registry'), import('./owner-client')]);
  const redis = new Redis({ ...target.options, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: ASK_TIMEOUT_MS });
  // connect() rejects with "Connection is closed"; the reason is in the error event before it.
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  try {
    await redis.connect();
    const runners = await listRunners(redis);
    const zones = new Map<string, RunnersView['zones'][number]>();
    for (const r of runners) {
      let z = zones.get(r.zone);
      if (!z) zones.set(r.zone, (z = { zone: r.zone, alive: 0, runners: [] }));
      const alive = r.ageMs <= ALIVE_WINDOW_MS;
      if (alive) z.alive++;
      z.runners.push({
        name: r.name,
        host: r.host,
        version: r.version,
        running: r.running,
        concurrency: r.concurrency,
        state: r.state,
        lastSeen: r.lastSeen,
        seenAgoMs: r.ageMs,
        alive,
      });
    }
    return { redis: { url: target.display, reachable: true }, zones: [...zones.values()] };
  } catch (e) {
    return { redis: { url: target.display, reachable: false, error: describeRedisError(cause ?? (e as Error)) }, zones: [] };
  } finally {
    redis.disconnect();
  }
}
