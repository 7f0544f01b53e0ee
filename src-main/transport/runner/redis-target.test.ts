import { describe, expect, it } from 'vitest';
import { redisTarget, unauthenticatedRedisMessage } from './redis-target';

describe('redisTarget', () => {
  it('reads host, port, database and credentials, and shows none of the credentials', () => {
    const t = redisTarget('redis://:s3cret@10.0.0.5:6380/2', {});
    expect(t).toMatchObject({ display: 'redis://10.0.0.5:6380/2', authenticated: true, tls: false });
    expect(t.options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, password: 's3cret' });
    expect(t.options).not.toHaveProperty('username');
    expect(redisTarget('redis://ops:p%40ss@redis.example/', {}).options).toMatchObject({ username: 'ops', password: 'p@ss', port: 6379, db: 0 });
  });

  it('a URL with neither password nor user is not authenticated, and the message says what to do', () => {
    const t = redisTarget('redis://127.0.0.1:6379', {});
    expect(t.authenticated).toBe(false);
    expect(unauthenticatedRedisMessage(t)).toMatch(/redis:\/\/127\.0\.0\.1:6379\/0 is given no password or ACL user.*--insecure-redis$/);
  });

  it('rediss:// turns TLS on, checking the server name, with the CA file of FLOWDECK_REDIS_CA when set', () => {
    expect(redisTarget('rediss://:pw@cache.internal:6390', {}).options.tls).toEqual({ servername: 'cache.internal' });
    expect(() => redisTarget('rediss://:pw@h', { FLOWDECK_REDIS_CA: '/nonexistent/ca.pem' })).toThrow(/FLOWDECK_REDIS_CA: cannot read \/nonexistent\/ca\.pem: ENOENT/);
  });

  it('refuses what is not a Redis URL, in one line', () => {
    expect(() => redisTarget('localhost:6379', {})).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    expect(() => redisTarget('not a url', {})).toThrow(/not a URL/);
    expect(() => redisTarget('redis://h:6379/x', {})).toThrow(/database must be a number/);
  });
});
