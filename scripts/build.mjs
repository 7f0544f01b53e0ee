#!/usr/bin/env node
// `npm run build`, and `prepare` (which npm runs after `npm install` / `npm ci` in this folder):
// builds what the CLI and the console run, side by side, and says so in one line:
//
//   out/cli                          the CLI bundle (scripts/build-cli.mjs, esbuild)
//   out/main, out/preload,
//   out/renderer                     the desktop app and the console `flowdeck serve` serves (electron-vite)
//
// Needs no Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1 installs work). The tools' own output
// is printed only when a build fails. Where the dev dependencies are not installed
// (`npm ci --omit=dev`) there is nothing to build with: it says so and succeeds.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, repoRoot } from './build-cli.mjs';

const electronVite = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const esbuildInstalled = existsSync(join(repoRoot, 'node_modules', 'esbuild', 'package.json'));

if (!esbuildInstalled || !existsSync(electronVite)) {
  process.stdout.write('flowdeck: the build tools (dev dependencies) are not installed: nothing built; `npm install` installs them\n');
  process.exit(0);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function buildApp() {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [electronVite, 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Date.now() - started) : reject(new Error(`electron-vite build failed (exit ${code}):\n${output}`))));
  });
}

async function buildCliReporting() {
  try {
    return (await buildCli()).ms;
  } catch (e) {
    const errors = e && Array.isArray(e.errors) ? e.errors : [];
    const lines = errors.map((m) => `${m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : ''}${m.text}`);
    throw new Error(`the CLI bundle failed:\n${lines.join('\n') || (e instanceof Error ? e.message : String(e))}`, { cause: e });
  }
}

const started = Date.now();
const [cli, app] = await Promise.allSettled([buildCliReporting(), buildApp()]);
const failures = [cli, app].filter((r) => r.status === 'rejected').map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)));
if (failures.length > 0) {
  for (const f of failures) process.stderr.write(`flowdeck: build: ${f.trimEnd()}\n`);
  process.exit(1);
}
process.stdout.write(
  `flowdeck: built the CLI (out/cli, ${seconds(cli.value)}) and the app and console (out/main, out/preload, out/renderer, ${seconds(app.value)}) in ${seconds(Date.now() - started)}\n`,
);
