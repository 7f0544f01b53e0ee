// What a runner refuses and what it never lets out: a Redis anyone could write to, the owner's
// secret params (inside the job only), its own credentials' secrets; and TLS to Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';

/** Every value Redis holds right now, as text: what a step may have left behind. */
async function everythingIn(url: string): Promise<string> {
  const r = new Redis(url, { lazyConnect: true });
  await r.connect();
  try {
    const parts: string[] = [];
    for (const key of await r.keys('*')) {
      const type = await r.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await r.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await r.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await r.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await r.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await r.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await r.xrange(key, '-', '+')));
    }
    return parts.join('\n');
  } finally {
    r.disconnect();
  }
}

describe('runner security', () => {
  const owner = new Workspace('flowdeck-owner-');
  let redis: TestRedis;
  let runner: RunnerProcess;
  const RUNNER_PASSWORD = 'runner-only-password-7f3a';

  beforeAll(async () => {
    redis = await startRedis();
    owner.env = { FLOWDECK_REDIS_URL: redis.url };
    runner = await startRunnerProcess({
      zone: 'sec',
      name: 'rs',
      redisUrl: redis.url,
      async prepare(ws) {
        // A credential only the runner has: its secret must never reach the owner's logs.
        const r = await ws.run(['credential', 'add', 'runner-pw', '--password-env', 'RUNNER_PW'], { RUNNER_PW: RUNNER_PASSWORD });
        expect(r.code, r.stderr).toBe(0);
      },
    });
    saveOwnerInventory(owner, [{ id: 's1', name: 's1', host: 'localhost', transport: 'local', zone: 'sec' }]);
    const r = await owner.run([
      'flow',
      'import',
      owner.file(
        'secret.yaml',
        `id: secret
name: secret
targets: { elements: [s1] }
params: [{ name: token, secret: true }]
steps:
  - { id: say, run: 'echo "token={{ params.token }}"; sleep 0.1; echo "env=$TOKEN" >&2', env: { TOKEN: "{{ params.token }}" } }
`,
      ),
    ]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await redis?.stop();
    runner?.ws.dispose();
    owner.dispose();
  });

  it('refuses a Redis URL without a password or ACL user, before connecting', async () => {
    const ws = new Workspace('flowdeck-runner-refused-');
    try {
      const r = await ws.run(['runner', '--zone', 'sec', '--name', 'nopw', '--redis', redis.urlWithoutPassword]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^flowdeck: the Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is given no password or ACL user: .* or pass --insecure-redis\n$/);
      expect(await everythingIn(redis.url)).not.toContain('nopw');
    } finally {
      ws.dispose();
    }
  });

  it('--insecure-redis takes a Redis without a password, and SIGTERM stops the runner cleanly', async () => {
    const open = await startRedis({ password: '' });
    try {
      const r = await startRunnerProcess({ zone: 'open', name: 'ro', redisUrl: open.url, args: ['--insecure-redis'] });
      const end = await r.stop('SIGTERM');
      r.ws.dispose();
      expect(end.code).toBe(0);
      expect(end.stderr).toMatch(/flowdeck runner ro: stopped\n$/);
      // It said goodbye: no runner left registered in the zone.
      expect(await everythingIn(open.url)).not.toContain('flowdeck:runner:open:ro');
    } finally {
      await open.stop();
    }
  });

  it("a secret param travels inside the job only: redacted in the owner's log, printed by no runner, gone from Redis after the run", async () => {
    const token = 'tok-5ecret-91c2e7';
    const r = await owner.run(['run', 'secret', '--json', '--param', `token=${token}`]);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    expect(rep.runs.map((x) => x.runner)).toEqual(['rs']);
    const log = await owner.run(['logs', String(rep.id), '--step', 'say', '--raw']);
    expect(log.stdout).toBe('token=***\nenv=***\n');
    expect(runner.output()).not.toContain(token);
    expect(await everythingIn(redis.url)).not.toContain(token);
  });

  it("the runner's own credential secrets are redacted before output leaves it", async () => {
    const leak = owner.file('leak.yaml', `id: leak\nname: leak\ntargets: { elements: [s1] }\nsteps:\n  - { id: a, run: 'echo "pw=${RUNNER_PASSWORD}"; sleep 0.1; echo "${RUNNER_PASSWORD}" >&2' }\n`);
    expect((await owner.run(['flow', 'import', leak])).code).toBe(0);
    const r = await owner.run(['run', 'leak', '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, r.stderr).toBe('succeeded');
    const log = await owner.run(['logs', String(rep.id), '--raw']);
    expect(log.stdout).toBe('pw=***\n***\n');
  });

  it('reaches a Redis over TLS (rediss://) with the CA given in FLOWDECK_REDIS_CA', async () => {
    const tls = await startRedis({ tls: true });
    const ws = new Workspace('flowdeck-owner-tls-');
    try {
      const env = { FLOWDECK_REDIS_CA: tls.caFile };
      const r = await startRunnerProcess({ zone: 'tls', name: 'rt', redisUrl: tls.url, env });
      try {
        ws.env = { FLOWDECK_REDIS_URL: tls.url, ...env };
        saveOwnerInventory(ws, [{ id: 't1', name: 't1', host: 'localhost', transport: 'local', zone: 'tls' }]);
        expect((await ws.run(['flow', 'import', ws.file('t.yaml', `id: t\nname: t\ntargets: { elements: [t1] }\nsteps:\n  - { id: a, run: 'echo "over tls on $FLOWDECK_RUNNER"' }\n`)])).code).toBe(0);
        const run = await ws.run(['run', 't', '--json']);
        const rep = JSON.parse(run.stdout) as ExecutionReport;
        expect(rep.status, run.stderr).toBe('succeeded');
        expect((await ws.run(['logs', String(rep.id), '--raw'])).stdout).toBe('over tls on rt\n');
        // Without the CA, the owner does not trust the server's certificate.
        const untrusting = await ws.run(['run', 't', '--json'], { FLOWDECK_REDIS_CA: '' });
        expect((JSON.parse(untrusting.stdout) as ExecutionReport).runs[0]?.error).toMatch(/cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+\/0: .*(certificate|self.signed)/i);
      } finally {
        await r.stop();
        r.ws.dispose();
      }
    } finally {
      ws.dispose();
      await tls.stop();
    }
  });
});
