import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliContext } from '../../src-main/cli/context';
import { DEFAULT_RENDERER_DIR, serveCommand } from '../../src-main/cli/commands/serve';
import { fakeRenderer } from './harness';
import { httpGet, TestClient } from './ws-client';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const URL_LINE = /^Flowdeck console: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43}))$/m;

function program(dbPath: string): Command {
  const cli = new CliContext();
  cli.dbPath = dbPath;
  const p = new Command('flowdeck').exitOverride();
  serveCommand(p, cli);
  return p;
}

describe('flowdeck serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-serve-'));
  const renderer = fakeRenderer(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the out/renderer build of this repository', () => {
    expect(DEFAULT_RENDERER_DIR).toBe(join(repoRoot, 'out', 'renderer'));
  });

  it('prints the URL with its token on a line of its own, serves until SIGINT, then closes', async () => {
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.listeners('SIGINT');
    try {
      let settled = false;
      const running = program(join(dir, 'a.db'))
        .parseAsync(['node', 'flowdeck', 'serve', '--renderer', renderer])
        .finally(() => (settled = true));
      const deadline = Date.now() + 15_000;
      while (!URL_LINE.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const [, url, port, token] = URL_LINE.exec(stdout) ?? [];
      expect(url).toBeDefined();
      const page = await httpGet(Number(port), `/?token=${token}`);
      expect(page.status).toBe(200);
      const c = await TestClient.open(`ws://127.0.0.1:${port}/ipc?token=${token}`);
      expect(await c.value('flows/list', {})).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      expect(settled).toBe(false);

      const ours = process.listeners('SIGINT').filter((l) => !before.includes(l));
      expect(ours).toHaveLength(1);
      const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
      (ours[0] as (s: NodeJS.Signals) => void)('SIGINT');
      await running;
      expect(await closed).toBe(1001);
      await expect(httpGet(Number(port), '/assets/app.js')).rejects.toThrow();
      // Its signal handlers are gone with it.
      expect(process.listeners('SIGINT')).toEqual(before);
      expect(process.listeners('SIGTERM').filter((l) => !before.includes(l))).toHaveLength(0);
    } finally {
      write.mockRestore();
      stderr.mockRestore();
    }
  });

  it('without a renderer build it says to run electron-vite build', async () => {
    await expect(program(join(dir, 'b.db')).parseAsync(['node', 'flowdeck', 'serve', '--renderer', join(dir, 'missing')])).rejects.toThrow(
      /no console build in .*missing: run `npx electron-vite build` first/,
    );
    await expect(program(join(dir, 'b.db')).parseAsync(['node', 'flowdeck', 'serve', '--renderer', renderer, '--port', 'http'])).rejects.toThrow(
      /--port must be a number from 0 to 65535/,
    );
  });

  it('as a process: stays up, answers, and exits 0 on SIGTERM', async () => {
    // What bin/flowdeck.js does once main.ts wires serveCommand: run the command, then process.exit.
    const script = `
      import { Command } from 'commander';
      import { CliContext } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src-main/cli/context.ts')).href)};
      import { serveCommand } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src-main/cli/commands/serve.ts')).href)};
      const cli = new CliContext();
      cli.dbPath = ${JSON.stringify(join(dir, 'c.db'))};
      const p = new Command('flowdeck').exitOverride();
      serveCommand(p, cli);
      await p.parseAsync(['node', 'flowdeck', 'serve', '--renderer', ${JSON.stringify(renderer)}]);
      cli.close();
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!URL_LINE.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const [, , port, token] = URL_LINE.exec(out) ?? [];
      expect(port, err).toBeDefined();
      expect(out.split('\n').filter((l) => l !== '')).toHaveLength(1);
      const c = await TestClient.open(`ws://127.0.0.1:${port}/ipc?token=${token}`);
      expect((await c.value<{ elements: Array<{ id: string }> }>('inventory/list', {})).elements.map((e) => e.id)).toEqual(['localhost']);
      await c.close();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toMatch(/SIGTERM: stopping the console/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
