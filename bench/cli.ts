// The CLI as a person starts it: whole processes, from `node bin/flowdeck.js` to its exit.
// Start-up against `node -e 0` (the floor any Node CLI pays), and a real fan-out run through
// `flowdeck run --json` against the bare ssh2 script of the fan-out bench doing the same work.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { delay, median, openFleetRuntime, withFleet } from './fleet';
import { bareRound, saveFanoutFlow, SETTLE_MS } from './ssh-fanout';

const repoRoot = resolve(import.meta.dirname, '..');
const bin = join(repoRoot, 'bin', 'flowdeck.js');

/**
 * The timed processes run the build as it is (as an installed package does: no source folder
 * to check). A checkout's staleness check before each start is measured on its own.
 */
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env, FLOWDECK_NO_REBUILD: '1', NO_COLOR: '1' };

/** Builds out/cli from the current sources, so the bench times what ships. */
function buildCli(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli: building out/cli failed:\n${r.stdout}${r.stderr}`);
}

/** Wall time of one process from spawn to exit; it must exit 0. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cli: \`node ${args.join(' ')}\` exited ${r.status}: ${r.stderr}`);
  return ms;
}

export interface StartupFigure {
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
  bareMs: number[];
  cliMs: number[];
  bareMedianMs: number;
  cliMedianMs: number;
  /** `flowdeck run --json` as a process / the bare ssh2 script: the whole-CLI fan-out figure. */
  ratio: number;
}

/** `flowdeck run fanout --json` as a process, from spawn to exit; the execution must succeed. */
function cliRound(dbPath: string, knownHosts: string): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, '--db', dbPath, 'run', 'fanout', '--json'], {
      env: { ...RUN_ENV, FLOWDECK_KNOWN_HOSTS: knownHosts },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let status: unknown;
      try {
        status = (JSON.parse(stdout) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      if (code !== 0 || status !== 'succeeded') fail(new Error(`cli fan-out: flowdeck run exited ${code} (status ${String(status)}): ${stderr}`));
      else done(ms);
    });
  });
}

/**
 * The fan-out of the `fanout` bench (a 3-step parallel flow on `hosts` SSH hosts) run by
 * `flowdeck run --json` as its own process (start-up, database, sandbox, connections, exit),
 * against the bare ssh2 script in this process, alternating.
 */
export async function cliFanout(hosts = 50, rounds = 7): Promise<CliFanoutResult> {
  buildCli();
  return withFleet(hosts, async (fleet) => {
    const b = await openFleetRuntime(fleet, hosts);
    try {
      saveFanoutFlow(b, hosts);
      const dbPath = b.rt.db.name;
      // One unmeasured round each: JIT, sshd's first forks, page cache, Node's compile cache.
      await bareRound(fleet, hosts);
      await delay(SETTLE_MS);
      await cliRound(dbPath, fleet.knownHostsPath);
      await delay(SETTLE_MS);
      const bareMs: number[] = [];
      const cliMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        bareMs.push(await bareRound(fleet, hosts));
        await delay(SETTLE_MS);
        cliMs.push(await cliRound(dbPath, fleet.knownHostsPath));
        await delay(SETTLE_MS);
      }
      const bareMedianMs = median(bareMs);
      const cliMedianMs = median(cliMs);
      return { hosts, rounds, bareMs, cliMs, bareMedianMs, cliMedianMs, ratio: cliMedianMs / bareMedianMs };
    } finally {
      b.close();
    }
  });
}
