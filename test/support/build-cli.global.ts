// Vitest global setup: builds the CLI bundle (out/cli) once from the current sources before any
// suite runs, so every test that starts `bin/flowdeck.js` runs exactly what ships. The CLI
// processes of the run are told not to rebuild (FLOWDECK_NO_REBUILD, vitest.config.ts): a source
// edited while the tests run does not change what they test halfway through. The console
// (out/renderer) is built too when it is missing, as after `npm ci --ignore-scripts`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

function run(what: string, args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

export default function setup(): void {
  run('the CLI bundle (node scripts/build-cli.mjs)', [join(repoRoot, 'scripts', 'build-cli.mjs')]);
  if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) {
    run('the console build (electron-vite build)', [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  }
}
