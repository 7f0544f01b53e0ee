import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
const bin = join(repoRoot, 'bin', 'flowdeck.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch folder with its own database; removed by `dispose`. */
export class Workspace {
  readonly dir: string;
  readonly db: string;
  /** Extra environment for every CLI process of this workspace. */
  env: NodeJS.ProcessEnv = {};

  constructor(prefix = 'flowdeck-test-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.db = join(this.dir, 'flowdeck.db');
  }

  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Starts the CLI as its own process on this workspace's database. */
  spawn(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(process.execPath, [bin, ...args], {
      cwd: this.dir,
      env: { ...process.env, FLOWDECK_DB: this.db, NO_COLOR: '1', ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const child = this.spawn(args, env);
    return collect(child);
  }

  async json<T>(args: readonly string[]): Promise<T> {
    const r = await this.run(args);
    if (r.code !== 0 && !args.includes('run')) throw new Error(`flowdeck ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(`flowdeck ${args.join(' ')} printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { processAlive as pidAlive } from '../../src-main/engine/ownership';
