#!/usr/bin/env node
// Bundles the CLI (src-main/cli/main.ts) with esbuild into out/cli/, which bin/flowdeck.js runs:
// plain JavaScript starts several times faster than TypeScript compiled at every start.
//
//   out/cli/main.js             the entry (exports main)
//   out/cli/sandbox-worker.js   the script sandbox's worker thread, when src-main/sandbox/worker.ts exists
//   out/cli/<name>-<hash>.js    chunks: every `await import()` of the commands stays its own file,
//                               loaded only by the commands that need it (all beside the entries, so
//                               `new URL('./sandbox-worker.js', import.meta.url)` works from any chunk)
//   out/cli/build-info.json     when the build started and which sources went in: bin/flowdeck.js
//                               compares their mtimes to rebuild a checkout whose sources changed
//   out/cli/meta.json           esbuild's metafile: which modules each output file holds
//
// `node scripts/build-cli.mjs` builds and prints one line; bin/flowdeck.js and the test setup
// import buildCli and cliBundleState from here.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDirOf = (root) => join(root, 'out', 'cli');
const infoFileOf = (root) => join(outDirOf(root), 'build-info.json');
export const metaFileOf = (root) => join(outDirOf(root), 'meta.json');

/**
 * Left to node_modules: native addons (better-sqlite3, node-pty; cpu-features through ssh2), packages that
 * locate files next to their own module (the QuickJS WebAssembly variants in @jitl/*, node-cron's
 * background task file), ws (its optional native helpers are found with require at run time),
 * and ioredis and bullmq (CommonJS that requires itself in cycles, which a bundle breaks: `Redis is
 * not a constructor`; loaded only by runner steps and the Runners page).
 * The pure-JavaScript ones (commander, yaml, zod, quickjs-emscripten-core) are bundled: one file
 * read instead of dozens resolved through node_modules.
 */
export const externals = ['better-sqlite3', 'node-pty', 'ssh2', 'cpu-features', '@jitl/*', 'node-cron', 'ws', 'electron', 'ioredis', 'bullmq'];

/** The entries: the CLI, and the sandbox worker where the sandbox runs scripts in worker threads. */
function entryPoints(root) {
  const entries = { main: join(root, 'src-main', 'cli', 'main.ts') };
  const worker = join(root, 'src-main', 'sandbox', 'worker.ts');
  if (existsSync(worker)) entries['sandbox-worker'] = worker;
  return entries;
}

/** Writes through a temporary file and a rename, so a CLI starting meanwhile never reads half a file. */
function writeAtomically(path, bytes) {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Chunks of earlier builds are left for a day: a CLI started from the previous build (a
 * long `flowdeck run`, a test run of another checkout user) may still import one of them.
 */
const OLD_CHUNK_MS = 24 * 3_600_000;

function pruneOldChunks(outDir, keep, now) {
  for (const name of readdirSync(outDir)) {
    const path = join(outDir, name);
    if (keep.has(path)) continue;
    try {
      const st = statSync(path);
      if (st.isFile() && now - st.mtimeMs > OLD_CHUNK_MS) rmSync(path, { force: true });
    } catch {
      // another build removed it first
    }
  }
}

/**
 * Builds out/cli from the current sources; returns how long it took and the output files.
 * Safe to run while CLIs start from out/cli and while another build runs: every file is
 * replaced by a rename, the chunks first, the entries next, build-info.json last.
 */
export async function buildCli(root = repoRoot) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const outDir = outDirOf(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: entryPoints(root),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    splitting: true,
    chunkNames: '[name]-[hash]',
    external: externals,
    // Bundled CommonJS (commander, yaml) requires Node built-ins; ESM output has no `require`
    // of its own, so each output file gets one bound to its own URL.
    banner: { js: "import { createRequire as __flowdeckCreateRequire } from 'node:module';\nconst require = __flowdeckCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(outDir, { recursive: true });
  const entryFiles = new Set(Object.keys(entryPoints(root)).map((name) => join(outDir, `${name}.js`)));
  const files = [...result.outputFiles].sort((a, b) => Number(entryFiles.has(a.path)) - Number(entryFiles.has(b.path)));
  for (const f of files) writeAtomically(f.path, f.contents);

  // Sources only (what a developer edits); a change of dependencies rewrites node_modules/.package-lock.json.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.includes(`${sep}node_modules${sep}`));
  inputs.push('scripts/build-cli.mjs', 'node_modules/.package-lock.json');
  // esbuild's own account of what went into each output file: the tests read it to tell which
  // modules a command loaded, and esbuild's analyzer reads it too.
  writeAtomically(metaFileOf(root), JSON.stringify(result.metafile));
  writeAtomically(infoFileOf(root), JSON.stringify({ startedAt, inputs }, null, 1) + '\n');
  pruneOldChunks(outDir, new Set([...files.map((f) => f.path), metaFileOf(root), infoFileOf(root)]), Date.now());
  return { ms: Date.now() - startedAt, files: files.map((f) => relative(root, f.path)) };
}

/**
 * `fresh`, `stale` (a source that went into it changed since the build started, or is gone)
 * or `missing`. Costs one small JSON read and a stat per source file (about 150).
 */
export function cliBundleState(root = repoRoot) {
  let info;
  try {
    info = JSON.parse(readFileSync(infoFileOf(root), 'utf8'));
  } catch {
    return 'missing';
  }
  if (!existsSync(join(outDirOf(root), 'main.js'))) return 'missing';
  for (const input of info.inputs) {
    try {
      if (statSync(join(root, input)).mtimeMs >= info.startedAt) return 'stale';
    } catch {
      // a dependency list that does not exist (no npm install yet) changes nothing
      if (!input.startsWith('node_modules/')) return 'stale';
    }
  }
  return 'fresh';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { ms, files } = await buildCli();
    process.stdout.write(`flowdeck: built the CLI into out/cli (${files.filter((f) => f.endsWith('.js')).length} files) in ${ms} ms\n`);
  } catch (e) {
    // esbuild's own report names the file, line and column of each error.
    const errors = e && Array.isArray(e.errors) ? e.errors : [];
    for (const m of errors) process.stderr.write(`flowdeck: build-cli: ${m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : ''}${m.text}\n`);
    if (errors.length === 0) process.stderr.write(`flowdeck: build-cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
