// Which runners are alive, by zone. A runner writes a heartbeat every HEARTBEAT_MS; "seen"
// times are the Redis server's clock, read inside the same script, so machines whose clocks
// disagree still agree on how long ago a runner was last heard from.
import type { Redis } from 'ioredis';
import { PREFIX, runnerInfoKey, ZONES_KEY, zoneRunnersKey } from './keys';

/** What a runner says about itself. */
export interface RunnerInfo {
  zone: string;
  name: string;
  host: string;
  version: string;
  pid: number;
  /** Random per process: tells a restarted runner from a second one given the same name. */
  instance: string;
  concurrency: number;
  /** Commands running now. */
  running: number;
  startedAt: number;
  /** `draining`: stopping, finishing what it runs and taking nothing new. */
  state: 'running' | 'draining';
}

export interface RunnerSeen {
  name: string;
  /** How long ago (ms, by the Redis server's clock) it was last heard from. */
  ageMs: number;
  draining: boolean;
}

const NOW_LUA = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: zone set, info hash, zones set. ARGV: name, zone, then field/value pairs. */
const HEARTBEAT_LUA = `${NOW_LUA}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[2], 'lastSeen', now)
redis.call('PEXPIRE', KEYS[2], 86400000)
return now`;

/** KEYS: zone set. ARGV: window ms, info key prefix. Returns now, then name, seen, state per runner. */
const SEEN_LUA = `${NOW_LUA}
local seen = redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'WITHSCORES')
local out = {now}
for i = 1, #seen, 2 do
  out[#out + 1] = seen[i]
  out[#out + 1] = seen[i + 1]
  out[#out + 1] = redis.call('HGET', ARGV[2] .. seen[i], 'state') or ''
end
return out`;

export async function heartbeat(redis: Redis, info: RunnerInfo): Promise<void> {
  const fields: string[] = [];
  for (const [k, v] of Object.entries(info)) fields.push(k, String(v));
  await redis.eval(HEARTBEAT_LUA, 3, zoneRunnersKey(info.zone), runnerInfoKey(info.zone, info.name), ZONES_KEY, info.name, info.zone, ...fields);
}

/** A runner that stops says so, so owners stop waiting for it at once. */
export async function deregister(redis: Redis, zone: string, name: string, instance: string): Promise<void> {
  // Only our own record: a second runner started later under the same name keeps its entry.
  if ((await redis.hget(runnerInfoKey(zone, name), 'instance')) !== instance) return;
  await redis.multi().zrem(zoneRunnersKey(zone), name).del(runnerInfoKey(zone, name)).exec();
}

/** Runners of `zone` heard from within `windowMs`. */
export async function zoneRunners(redis: Redis, zone: string, windowMs: number): Promise<RunnerSeen[]> {
  const r = (await redis.eval(SEEN_LUA, 1, zoneRunnersKey(zone), windowMs, `${PREFIX}:runner:${zone}:`)) as Array<string | number>;
  const now = Number(r[0]);
  const out: RunnerSeen[] = [];
  for (let i = 1; i + 2 < r.length; i += 3) {
    out.push({ name: String(r[i]), ageMs: Math.max(0, now - Number(r[i + 1])), draining: r[i + 2] === 'draining' });
  }
  return out;
}

export interface RunnerListing extends RunnerInfo {
  lastSeen: number;
  ageMs: number;
}

/** Records older than this are dropped from the list (and from Redis) as gone for good. */
const FORGET_AFTER_MS = 86_400_000;

/** Every runner that announced itself in the last day, by zone, with its last heartbeat. */
export async function listRunners(redis: Redis): Promise<RunnerListing[]> {
  const [secs, micros] = await redis.time();
  const now = Number(secs) * 1000 + Math.floor(Number(micros) / 1000);
  const zones = (await redis.smembers(ZONES_KEY)).sort();
  const out: RunnerListing[] = [];
  for (const zone of zones) {
    await redis.zremrangebyscore(zoneRunnersKey(zone), '-inf', now - FORGET_AFTER_MS);
    const seen = await redis.zrange(zoneRunnersKey(zone), 0, -1, 'WITHSCORES');
    if (seen.length === 0) {
      await redis.srem(ZONES_KEY, zone);
      continue;
    }
    for (let i = 0; i + 1 < seen.length; i += 2) {
      const name = seen[i] as string;
      const lastSeen = Number(seen[i + 1]);
      const h = await redis.hgetall(runnerInfoKey(zone, name));
      out.push({
        zone,
        name,
        host: h.host ?? '',
        version: h.version ?? '',
        pid: Number(h.pid ?? 0),
        instance: h.instance ?? '',
        concurrency: Number(h.concurrency ?? 0),
        running: Number(h.running ?? 0),
        startedAt: Number(h.startedAt ?? 0),
        state: h.state === 'draining' ? 'draining' : 'running',
        lastSeen,
        ageMs: Math.max(0, now - lastSeen),
      });
    }
  }
  return out.sort((a, b) => (a.zone === b.zone ? a.name.localeCompare(b.name) : a.zone.localeCompare(b.zone)));
}
