import { hostname } from 'node:os';
import type { Command } from 'commander';
import { REDIS_URL_ENV } from '../../../src-shared/domain/runners';
import type { CliContext } from '../context';
import { CliExit, err } from '../io';

const DEFAULT_CONCURRENCY = 20;

/** Names are slugs, as element ids are: checked with the same schema, loaded only when the command runs. */
async function slug(what: string, value: string): Promise<string> {
  const { slugSchema } = await import('../../../src-shared/domain/inventory');
  const r = slugSchema.safeParse(value);
  if (!r.success) throw new CliExit(2, `flowdeck: ${what} "${value}" ${r.error.issues[0]?.message ?? 'is not valid'}`);
  return value;
}

function parseConcurrency(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > 1000) throw new CliExit(2, `flowdeck: --concurrency must be a whole number from 1 to 1000, not "${raw}"`);
  return n;
}

/**
 * `flowdeck runner --zone Z`: runs the steps of zone Z's elements on this machine (see the
 * README, "When one machine is not enough"), taking them from Redis, until Ctrl-C or SIGTERM. The first signal stops taking
 * steps, hands back those not started and waits for the running ones; a second kills them.
 */
export function runnerCommand(program: Command, cli: CliContext): void {
  program
    .command('runner')
    .description("run the commands of a zone's elements on this machine, taken from Redis, until Ctrl-C or SIGTERM")
    .requiredOption('--zone <name>', 'the zone whose steps to run (elements with `zone: NAME`)')
    .option('--name <name>', 'this runner\'s name, given to steps as FLOWDECK_RUNNER (default: the host name)')
    .option('--concurrency <n>', `commands at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--redis <url>', `redis://:PASSWORD@host:port or rediss://... (default: $${REDIS_URL_ENV}, which keeps the password off the command line)`)
    .option('--insecure-redis', 'accept a Redis reached without a password or ACL user')
    .action(async (opts: { zone: string; name?: string; concurrency?: string; redis?: string; insecureRedis?: boolean }) => {
      const zone = await slug('--zone', opts.zone);
      const name = await slug(opts.name === undefined ? 'the host name (give --name)' : '--name', opts.name ?? hostname());
      const concurrency = opts.concurrency === undefined ? DEFAULT_CONCURRENCY : parseConcurrency(opts.concurrency);
      const url = opts.redis ?? process.env[REDIS_URL_ENV];
      if (!url) throw new CliExit(2, `flowdeck: a runner needs Redis: give --redis URL or set ${REDIS_URL_ENV}`);
      const { redisTarget, unauthenticatedRedisMessage } = await import('../../transport/runner/redis-target');
      const target = redisTarget(url);
      if (!target.authenticated && !opts.insecureRedis) throw new CliExit(1, `flowdeck: ${unauthenticatedRedisMessage(target)}`);
      const { startRunner } = await import('../../runner/runner');
      const knownHostsFile = process.env.FLOWDECK_KNOWN_HOSTS;
      const runner = await startRunner({ zone, name, concurrency, redis: target, dbPath: cli.dbPath, ...(knownHostsFile ? { knownHostsFile } : {}), say: err });
      err(`flowdeck runner ${name}: taking steps of zone ${zone}, ${concurrency} at once, from Redis at ${target.display}; credentials and host keys from ${cli.dbPath}. Ctrl-C or SIGTERM stops it.`);
      await new Promise<void>((done) => {
        let signals = 0;
        const on = (signal: NodeJS.Signals): void => {
          signals++;
          if (signals === 1) {
            err(`flowdeck runner ${name}: ${signal}: taking no more steps, finishing the ${runner.info.running} running (${signal} again kills them)`);
            void runner.stop().then(done, done);
          } else {
            err(`flowdeck runner ${name}: ${signal}: killing the running commands`);
            void runner.stop(true);
          }
        };
        process.on('SIGINT', on);
        process.on('SIGTERM', on);
      });
      err(`flowdeck runner ${name}: stopped`);
    });
}
