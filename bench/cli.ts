// The CLI as a person starts it: whole processes, from `node bin/flowdeck.js` to its exit.
// Start-up against `node -e 0` (the floor any Node CLI pays), and a real fan-out run through
// `flowdeck run --json` against the bare ssh2 script of the fan-out bench doing the same work,
// also as a process of its own (bench/bare-fanout.ts): process against process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRound, type BareFleet } from './bare-ssh';
import { delay, median, openFleetRuntime, withFleet } from './fleet';
import { saveFanoutFlow, SETTLE_MS } from './ssh-fanout';

const repoRoot = resolve(import.meta.dirname, '..');
const bin = join(repoRoot, 'bin', 'flowdeck.js');

/**
 * The timed processes run the build as it is (as an installed package does: no source folder
 * to check). A checkout's staleness check before each start is measured on its own.
 */
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env, FLOWDECK_NO_REBUILD: '1', NO_COLOR: '1' };

/** Builds out/cli from the current sources, so the bench times what ships. */
export function buildCli(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli: building out/cli failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Bundles the bare fan-out script into out/bench/bare-fanout.mjs the way out/cli is bundled
 * (esbuild, ssh2 left in node_modules); returns its path.
 */
async function buildBareScript(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(repoRoot, 'out', 'bench', 'bare-fanout.mjs');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'bench', 'bare-fanout.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: ['ssh2', 'cpu-features'],
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * The bare process gets Node's compile cache as the CLI does (bin/flowdeck.js turns it on, in
 * the same default folder), so the two differ only in what they load and do.
 */
const BARE_ENV: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'node-compile-cache') };

/** Wall time of one process from spawn to exit; it must exit 0. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cli: \`node ${args.join(' ')}\` exited ${r.status}: ${r.stderr}`);
  return ms;
}

interface StartupFigure {
  what: string;
  medianMs: number;
  runsMs: number[];
}

export interface StartupResult {
  runs: number;
  figures: StartupFigure[];
  /** The checkout's staleness check bin/flowdeck.js does before each start (mtime of every source). */
  checkMs: number;
}

/** Medians of `runs` starts (after one unmeasured warm-up, which also fills Node's compile cache) of each command. */
export async function cliStartup(runs = 15): Promise<StartupResult> {
  buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-cli-'));
  try {
    const env = { ...RUN_ENV, FLOWDECK_DB: join(dir, 'bench.db') };
    // A few executions to list, made the way an operator makes them.
    writeFileSync(join(dir, 'inv.yaml'), 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    writeFileSync(join(dir, 'hello.yaml'), 'id: hello\nname: hello\ntargets: { elements: [box] }\nsteps:\n  - { id: a, run: echo hello }\n');
    timeProcess([bin, 'inventory', 'import', join(dir, 'inv.yaml')], env);
    timeProcess([bin, 'flow', 'import', join(dir, 'hello.yaml')], env);
    for (let i = 0; i < 5; i++) timeProcess([bin, 'run', 'hello', '--json'], env);

    const commands: Array<[string, string[]]> = [
      ['node -e 0', ['-e', '0']],
      ['flowdeck --help', [bin, '--help']],
      ['flowdeck executions list --json', [bin, 'executions', 'list', '--json']],
    ];
    const samples = commands.map((): number[] => []);
    for (const [, args] of commands) timeProcess(args, env);
    // Interleaved, so a burst of load on this shared machine hits every command alike.
    for (let r = 0; r < runs; r++) commands.forEach(([, args], i) => samples[i]?.push(timeProcess(args, env)));

    const { cliBundleState } = (await import(pathToFileURL(join(repoRoot, 'scripts', 'build-cli.mjs')).href)) as { cliBundleState(root: string): string };
    cliBundleState(repoRoot);
    const checks = Array.from({ length: runs }, () => {
      const t0 = performance.now();
      cliBundleState(repoRoot);
      return performance.now() - t0;
    });
    return {
      runs,
      figures: commands.map(([what], i) => ({ what, medianMs: median(samples[i] ?? []), runsMs: samples[i] ?? [] })),
      checkMs: median(checks),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CliFanoutResult {
  hosts: number;
  rounds: number;
  /** The bare ssh2 script as its own process, spawn to exit: the baseline of the judged ratio. */
  bareProcessMs: number[];
  /** The same process's own account of its work, from its first line (modules loaded) to the end of the fan-out. */
  bareWorkMs: number[];
  /** The bare round in this warm process (ssh2 loaded, JIT warm), for reference. */
  bareInProcessMs: number[];
  cliMs: number[];
  bareProcessMedianMs: number;
  bareWorkMedianMs: number;
  bareInProcessMedianMs: number;
  cliMedianMs: number;
  /** `flowdeck run --json` as a process / the bare ssh2 script as a process: the whole-CLI fan-out figure. */
  ratio: number;
  /** `flowdeck run --json` as a process / the bare round in this warm process: what the old comparison showed. */
  ratioInProcess: number;
}

/** Runs `node ARGS` from spawn to exit (stdio closed); rejects with its stderr unless it exits 0. */
function timeChild(what: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) fail(new Error(`${what} exited ${code}: ${stderr}`));
      else done({ ms, stdout });
    });
  });
}

/** `flowdeck run fanout --json` as a process, from spawn to exit; the execution must succeed. */
export async function cliRound(dbPath: string, knownHosts: string): Promise<number> {
  const { ms, stdout } = await timeChild('cli fan-out: flowdeck run', [bin, '--db', dbPath, 'run', 'fanout', '--json'], {
    ...RUN_ENV,
    FLOWDECK_KNOWN_HOSTS: knownHosts,
  });
  let status: unknown;
  try {
    status = (JSON.parse(stdout) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (status !== 'succeeded') throw new Error(`cli fan-out: flowdeck run ended with status ${String(status)}`);
  return ms;
}

/** The bare fan-out script as a process, from spawn to exit, and its own account of the work. */
async function bareProcessRound(script: string, fleetFile: string, hosts: number): Promise<{ ms: number; workMs: number }> {
  const { ms, stdout } = await timeChild('cli fan-out: the bare script', [script, fleetFile, String(hosts)], BARE_ENV);
  const { workMs } = JSON.parse(stdout) as { workMs: number };
  return { ms, workMs };
}

/**
 * The fan-out of the `fanout` bench (a 3-step parallel flow on `hosts` SSH hosts) run by
 * `flowdeck run --json` as its own process (start-up, database, sandbox, connections, exit),
 * against the bare ssh2 script as its own process (start-up, ssh2, connections, exit), and the
 * bare round in this process for reference, alternating.
 */
export async function cliFanout(hosts = 50, rounds = 7): Promise<CliFanoutResult> {
  buildCli();
  const script = await buildBareScript();
  return withFleet(hosts, async (fleet) => {
    const b = await openFleetRuntime(fleet, hosts);
    try {
      saveFanoutFlow(b, hosts);
      const dbPath = b.rt.db.name;
      const fleetFile = join(b.dir, 'fleet.json');
      const bare: BareFleet = { hosts: fleet.hosts, user: fleet.user, keys: { ed25519: fleet.keys.ed25519 }, hostKeys: fleet.hostKeys };
      writeFileSync(fleetFile, JSON.stringify(bare));
      // One unmeasured round each: JIT, sshd's first forks, page cache, Node's compile cache.
      await bareRound(fleet, hosts);
      await delay(SETTLE_MS);
      await bareProcessRound(script, fleetFile, hosts);
      await delay(SETTLE_MS);
      await cliRound(dbPath, fleet.knownHostsPath);
      await delay(SETTLE_MS);
      const bareProcessMs: number[] = [];
      const bareWorkMs: number[] = [];
      const bareInProcessMs: number[] = [];
      const cliMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        bareInProcessMs.push(await bareRound(fleet, hosts));
        await delay(SETTLE_MS);
        const p = await bareProcessRound(script, fleetFile, hosts);
        bareProcessMs.push(p.ms);
        bareWorkMs.push(p.workMs);
        await delay(SETTLE_MS);
        cliMs.push(await cliRound(dbPath, fleet.knownHostsPath));
        await delay(SETTLE_MS);
      }
      const bareProcessMedianMs = median(bareProcessMs);
      const bareInProcessMedianMs = median(bareInProcessMs);
      const cliMedianMs = median(cliMs);
      return {
        hosts,
        rounds,
        bareProcessMs,
        bareWorkMs,
        bareInProcessMs,
        cliMs,
        bareProcessMedianMs,
        bareWorkMedianMs: median(bareWorkMs),
        bareInProcessMedianMs,
        cliMedianMs,
        ratio: cliMedianMs / bareProcessMedianMs,
        ratioInProcess: cliMedianMs / bareInProcessMedianMs,
      };
    } finally {
      b.close();
    }
  });
}
