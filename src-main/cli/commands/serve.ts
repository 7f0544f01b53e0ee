import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import { requireConsoleBuild } from '../../headless/static-files';
import type { CliContext } from '../context';
import { err, out } from '../io';

/**
 * The folder holding Flowdeck's package.json, found upwards from this module: the same answer
 * from the sources (`src-main/cli/commands`) and from the CLI bundle (`out/cli`).
 */
function installRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** The renderer electron-vite builds: `out/renderer` of this install. */
export const DEFAULT_RENDERER_DIR = join(installRoot(import.meta.dirname), 'out', 'renderer');

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FlowdeckError('invalid-input', `--port must be a number from 0 to 65535 (0: any free port), not "${raw}"`);
  }
  return port;
}

/** Resolves when the process is asked to stop (Ctrl-C, a service manager's SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * `flowdeck serve`: the headless console. Prints its URL, token included, on a line of
 * its own and runs until SIGINT or SIGTERM; then cancels its runs, closes and exits 0.
 * It opens its own runtime (not the CLI's), since the console asks host key questions in the page.
 */
export function serveCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('serve the console to a browser on 127.0.0.1, behind a random token, until Ctrl-C')
    .option('--port <n>', 'the port (default 0: any free port)', parsePort)
    .option('--renderer <dir>', 'the built renderer to serve (default: out/renderer of this install)')
    .option('--listen <addr>', 'also take HTTP triggers (only them) on HOST[:PORT], e.g. 0.0.0.0:8443; anywhere but 127.0.0.1 needs --tls-cert/--tls-key or --insecure-http')
    .option('--tls-cert <file>', 'the certificate (PEM) of the --listen address, for HTTPS')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option('--insecure-http', 'serve --listen over plain HTTP: trigger tokens cross the network in the clear')
    .addHelpText(
      'after',
      '\nThe console page and its WebSocket are served on 127.0.0.1 only, behind the printed token; --listen adds\n' +
        'an address that answers POST /api/triggers/ID and nothing else.\n' +
        '  flowdeck serve --port 8080 --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem\n',
    )
    .action(async (opts: { port?: number; renderer?: string; listen?: string; tlsCert?: string; tlsKey?: string; insecureHttp?: boolean }) => {
      const rendererDir = resolve(opts.renderer ?? DEFAULT_RENDERER_DIR);
      requireConsoleBuild(rendererDir);
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new FlowdeckError('invalid-input', '--tls-cert and --tls-key go together');
      const { parseListenAddress } = await import('../../triggers/listen-address');
      const listen = opts.listen !== undefined ? parseListenAddress(opts.listen) : undefined;
      const tls = opts.tlsCert !== undefined && opts.tlsKey !== undefined ? { cert: resolve(opts.tlsCert), key: resolve(opts.tlsKey) } : undefined;
      // The console server loads the whole engine and the WebSocket server: only this command needs them.
      const { startHeadless } = await import('../../headless/server');
      const headless = await startHeadless({
        dbPath: cli.dbPath,
        rendererDir,
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(listen ? { listen } : {}),
        ...(tls ? { tls } : {}),
        ...(opts.insecureHttp ? { insecureHttp: true } : {}),
      });
      const stopped = untilSignal();
      await out(`Flowdeck console: ${headless.url}\n`);
      if (headless.triggersOrigin !== null) {
        await out(`Flowdeck triggers: ${headless.triggersOrigin}/api/triggers/ID\n`);
        if (opts.insecureHttp) err('flowdeck: warning: triggers are taken over plain HTTP (--insecure-http): their tokens cross the network in the clear');
      }
      err(`flowdeck: serving ${rendererDir} with the database ${cli.dbPath}; press Ctrl-C to stop`);
      const signal = await stopped;
      err(`flowdeck: ${signal}: stopping the console`);
      await headless.close();
    });
}
