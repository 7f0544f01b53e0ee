import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { FlowdeckError } from '../../../src-shared/errors';

import { REDIS_URL_ENV } from '../../../src-shared/domain/runners';

export { REDIS_URL_ENV };
/** A PEM file of the certificate authority a `rediss://` server's certificate is checked against (default: the system's). */
const REDIS_CA_ENV = 'FLOWDECK_REDIS_CA';

export interface RedisTarget {
  /** The URL without its credentials, for messages and the console: `redis://host:6379/0`. */
  display: string;
  /** A password or an ACL user is given: a stranger who reaches the port cannot queue commands. */
  authenticated: boolean;
  tls: boolean;
  /** ioredis options for one connection; callers add what their use needs (blocking, offline queue). */
  options: RedisOptions;
}

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Reads a Redis URL into connection options. Credentials stay in `options`, never in `display`,
 * so no message, log line or console view can show the password.
 */
export function redisTarget(url: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new FlowdeckError('invalid-input', `the Redis URL is not a URL (expected redis://:PASSWORD@host:port or rediss://...)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new FlowdeckError('invalid-input', `the Redis URL must start with redis:// or rediss:// (TLS), not ${u.protocol}//`);
  }
  if (!u.hostname) throw new FlowdeckError('invalid-input', 'the Redis URL names no host');
  const tls = u.protocol === 'rediss:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText)) throw new FlowdeckError('invalid-input', `the Redis URL's database must be a number (redis://host:port/0), not "${dbText}"`);
  const db = dbText === '' ? 0 : Number(dbText);
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  const options: RedisOptions = {
    host,
    port,
    db,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Reconnect quickly and keep trying: a Redis restart must not need a runner or owner restart.
    retryStrategy: (times) => Math.min(200 * times, 2000),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
  if (tls) {
    const caFile = env[REDIS_CA_ENV];
    let ca: Buffer | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile);
      } catch (e) {
        throw new FlowdeckError('invalid-input', `${REDIS_CA_ENV}: cannot read ${caFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
    options.tls = { servername: host, ...(ca ? { ca } : {}) };
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    display: `${u.protocol}//${shownHost}:${port}/${db}`,
    authenticated: password !== '' || username !== '',
    tls,
    options,
  };
}

/** The message for a Redis without a password, which the runner refuses unless told otherwise. */
export function unauthenticatedRedisMessage(target: RedisTarget): string {
  return (
    `the Redis at ${target.display} is given no password or ACL user: anyone who reaches it could queue commands for ` +
    `this runner to run on your hosts. Set one (requirepass, or an ACL user) and put it in the URL ` +
    `(redis://:PASSWORD@host:port, best through ${REDIS_URL_ENV} so it is not on the command line), or pass --insecure-redis`
  );
}
