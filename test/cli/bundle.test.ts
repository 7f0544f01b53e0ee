import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, repoRoot, waitFor, Workspace, type CliResult } from '../support/cli';
import { loadedModules, moduleLogArgs } from '../support/module-log';

const bin = join(repoRoot, 'bin', 'flowdeck.js');
const cliDir = join(repoRoot, 'out', 'cli');

/** Modules a command that neither runs nor controls an execution must not load. */
const ENGINE = /^src-main\/(engine\/(?!ownership)|sandbox\/|transport\/|control\/|headless\/server|ipc\/)|node_modules\/(zod|yaml|quickjs-emscripten-core)\//;
const EXTERNAL_ENGINE = /\/node_modules\/(ssh2|cpu-features|@jitl|ws|node-cron)\//;

interface Loaded extends CliResult {
  urls: string[];
  bundled: string[];
}

describe('the CLI runs from its bundle (out/cli)', () => {
  const ws = new Workspace('flowdeck-bundle-');
  let logs = 0;

  /** Runs bin/flowdeck.js as a process and says which modules it loaded. */
  async function runLogged(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Loaded> {
    const log = ws.path(`modules-${++logs}.log`);
    writeFileSync(log, '');
    const child = spawn(process.execPath, [...moduleLogArgs(), bin, ...args], {
      cwd: ws.dir,
      env: { ...process.env, FLOWDECK_DB: ws.db, NO_COLOR: '1', FLOWDECK_MODULE_LOG: log, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(child);
    return { ...r, ...loadedModules(log) };
  }

  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    const flow = ws.file('hello.yaml', 'id: hello\nname: hello\ntargets: { elements: [box] }\nsteps:\n  - { id: a, run: echo hello }\n');
    expect((await ws.run(['flow', 'import', flow])).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = await ws.run(['run', 'hello', '--json']);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => ws.dispose());

  it('the build holds the CLI entry, and the sandbox worker beside the chunks when the sandbox has one', () => {
    const meta = JSON.parse(readFileSync(join(cliDir, 'meta.json'), 'utf8')) as { outputs: Record<string, { entryPoint?: string }> };
    expect(meta.outputs['out/cli/main.js']?.entryPoint).toBe('src-main/cli/main.ts');
    if (existsSync(join(repoRoot, 'src-main', 'sandbox', 'worker.ts'))) {
      expect(meta.outputs['out/cli/sandbox-worker.js']?.entryPoint).toBe('src-main/sandbox/worker.ts');
      expect(existsSync(join(cliDir, 'sandbox-worker.js'))).toBe(true);
    }
  });

  it('--help loads the bundle only: no tsx, no TypeScript, no database, none of the engine', async () => {
    const r = await runLogged(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: flowdeck /);
    expect(r.stderr).toBe('');
    expect(r.urls).toContain(pathToFileURL(join(cliDir, 'main.js')).href);
    expect(r.urls.filter((u) => u.includes('/node_modules/tsx/') || u.endsWith('.ts'))).toEqual([]);
    expect(r.urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
    expect(r.bundled).toContain('src-main/cli/main.ts');
    expect(r.bundled.filter((m) => ENGINE.test(m) || m === 'src-main/store/db.ts')).toEqual([]);
  });

  it('executions list --json opens the database and nothing of the engine', async () => {
    const r = await runLogged(['executions', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ flow: string; status: string }>;
    expect(list.map((e) => [e.flow, e.status])).toEqual([
      ['hello', 'succeeded'],
      ['hello', 'succeeded'],
    ]);
    expect(r.urls.some((u) => u.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(r.urls.filter((u) => EXTERNAL_ENGINE.test(u) || u.includes('/node_modules/tsx/'))).toEqual([]);
    expect(r.bundled.filter((m) => ENGINE.test(m))).toEqual([]);
  });

  it('a run loads the engine from the bundle too, and no schema or YAML code (the module log sees what it is asked about)', async () => {
    const r = await runLogged(['run', 'hello', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.bundled).toContain('src-main/engine/runtime.ts');
    expect(r.urls.filter((u) => u.endsWith('.ts'))).toEqual([]);
    // A stored flow is already checked: the run needs neither the schemas nor the YAML parser,
    // nor the inventory readers, and starts its connections that much sooner.
    expect(r.bundled.filter((m) => /^node_modules\/(zod|yaml)\/|^src-main\/inventory\/(?!resolve)/.test(m))).toEqual([]);
  });

  it('FLOWDECK_FROM_SOURCE=1 runs the TypeScript sources through tsx instead', async () => {
    const r = await runLogged(['--help'], { FLOWDECK_FROM_SOURCE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: flowdeck /);
    expect(r.urls).toContain(pathToFileURL(join(repoRoot, 'src-main', 'cli', 'main.ts')).href);
    expect(r.urls.some((u) => u.includes('/node_modules/tsx/'))).toBe(true);
  });

  it('serve prints its URL line and serves the console build (out/renderer) on a fresh database', async () => {
    const fresh = new Workspace('flowdeck-bundle-serve-');
    const child = fresh.spawn(['serve']);
    try {
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const line = /^Flowdeck console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43})$/m;
      const url = await waitFor(`the URL line (stderr: ${stderr})`, () => line.exec(stdout)?.[1]);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(join(repoRoot, 'out', 'renderer', 'index.html'), 'utf8'));
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(fresh.db)).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fresh.dispose();
    }
  });
});

describe('a checkout rebuilds out/cli when its sources change', () => {
  // A copy of what the bundle is made from, sharing this checkout's node_modules: its out/cli
  // starts missing, as after `npm install --ignore-scripts`.
  const root = mkdtempSync(join(tmpdir(), 'flowdeck-checkout-'));
  beforeAll(() => {
    for (const part of ['bin', 'src-main', 'src-shared', 'package.json']) cpSync(join(repoRoot, part), join(root, part), { recursive: true });
    mkdirSync(join(root, 'scripts'));
    cpSync(join(repoRoot, 'scripts', 'build-cli.mjs'), join(root, 'scripts', 'build-cli.mjs'));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const cli = (args: readonly string[]): Promise<CliResult> =>
    collect(
      spawn(process.execPath, [join(root, 'bin', 'flowdeck.js'), ...args], {
        cwd: root,
        env: { ...process.env, FLOWDECK_NO_REBUILD: '0', FLOWDECK_DB: join(root, 'flowdeck.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );

  it('builds a missing bundle on first use, saying so on stderr; then starts without building', async () => {
    const first = await cli(['--help']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('flowdeck: the CLI is not built yet (npm install builds it unless its scripts are off): building out/cli\n');
    expect(first.stdout).toMatch(/^Usage: flowdeck /);
    expect(existsSync(join(root, 'out', 'cli', 'main.js'))).toBe(true);

    const second = await cli(['--help']);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
  });

  it('rebuilds after a source edit, and the edit is what runs', async () => {
    const file = join(root, 'src-main', 'cli', 'main.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("'Flowdeck: run flows", "'Flowdeck (edited): run flows"));
    const r = await cli(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('flowdeck: sources changed since out/cli was built: rebuilding it\n');
    expect(r.stdout).toMatch(/Flowdeck \(edited\): run flows/);
    expect((await cli(['--help'])).stderr).toBe('');
  });

  it('a source that does not compile: one line naming file:line:col, exit 1', async () => {
    const file = join(root, 'src-main', 'cli', 'format.ts');
    writeFileSync(file, readFileSync(file, 'utf8') + '\nexport const broken: number = ;\n');
    const r = await cli(['--help']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('flowdeck: sources changed since out/cli was built: rebuilding it');
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^flowdeck: cannot build the CLI: src-main\/cli\/format\.ts:\d+:\d+: /)]);
  });
});
