import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import { forgetHostKeys, listKnownHosts, trustHostKey } from '../../store/known-host-queries';
import type { CliContext } from '../context';
import { out } from '../io';
import { table, time } from '../format';

function hostPort(spec: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!m) throw new FlowdeckError('invalid-input', `"${spec}" is not HOST or HOST:PORT`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 22 };
}

export function knownHostsCommands(program: Command, cli: CliContext): void {
  const kh = program.command('known-hosts').description("host keys Flowdeck trusts (besides ~/.ssh/known_hosts)");

  kh.command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = listKnownHosts(await cli.db());
      if (opts.json) await out(JSON.stringify(rows, null, 2) + '\n');
      else await out(table(['HOST', 'PORT', 'TYPE', 'FINGERPRINT', 'ADDED'], rows.map((r) => [r.host, String(r.port), r.keyType, r.fingerprint, time(r.addedAt)])));
    });

  kh.command('add')
    .description('trust a host key: given as "TYPE BASE64", or read from the host and checked against --fingerprint')
    .argument('<host[:port]>')
    .option('--key <type-and-base64>', 'the public key, as in a known_hosts line ("ssh-ed25519 AAAA...")')
    .option('--fingerprint <SHA256:...>', 'read the key from the host and trust it only if it has this fingerprint')
    .action(async (spec: string, opts: { key?: string; fingerprint?: string }) => {
      const { host, port } = hostPort(spec);
      const { keyTypeOf, sha256Fingerprint } = await import('../../transport/ssh/fingerprint');
      let key: Buffer;
      if (opts.key) {
        const [type, b64] = opts.key.trim().split(/\s+/);
        if (!type || !b64) throw new FlowdeckError('invalid-input', '--key must be "TYPE BASE64"');
        key = Buffer.from(b64, 'base64');
        if (keyTypeOf(key) !== type) throw new FlowdeckError('invalid-input', `--key: the key data is a ${keyTypeOf(key)} key, not ${type}`);
      } else if (opts.fingerprint) {
        const { scanHostKey } = await import('../../transport/ssh/scan');
        key = await scanHostKey(host, port);
        const seen = sha256Fingerprint(key);
        if (seen !== opts.fingerprint) {
          throw new FlowdeckError('invalid-input', `${host}:${port} shows ${keyTypeOf(key)} ${seen}, not ${opts.fingerprint}: not trusted`);
        }
      } else {
        throw new FlowdeckError('invalid-input', 'give --key or --fingerprint (trusting a key nobody checked defeats the purpose)');
      }
      trustHostKey(await cli.db(), { host, port, keyType: keyTypeOf(key), key: key.toString('base64'), fingerprint: sha256Fingerprint(key) });
      await out(`trusted ${host}:${port} ${keyTypeOf(key)} ${sha256Fingerprint(key)}\n`);
    });

  kh.command('rm')
    .description("forget a host's keys")
    .argument('<host[:port]>')
    .action(async (spec: string) => {
      const { host, port } = hostPort(spec);
      const n = forgetHostKeys(await cli.db(), host, port);
      if (n === 0) throw new FlowdeckError('not-found', `no trusted key for ${host}:${port}`);
      await out(`forgot ${n} key(s) of ${host}:${port}\n`);
    });
}
