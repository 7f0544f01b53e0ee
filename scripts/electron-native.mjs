#!/usr/bin/env node
// Builds better-sqlite3's native addon for Electron's ABI, next to (never inside)
// node_modules: node_modules/better-sqlite3 stays built for plain Node, which the CLI and
// the tests load. Run by `npm start` and `npm run dev` before electron-vite.
//
//   .native/electron-<version>/better_sqlite3.node   the result (the app passes it to
//                                                    better-sqlite3 as `nativeBinding`)
//   .native/build-better-sqlite3/                    scratch copy where node-gyp builds
//
// Exits 0 at once when the addon for the installed Electron version already exists.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(appRoot, 'node_modules', 'better-sqlite3');
const buildDir = join(appRoot, '.native', 'build-better-sqlite3');
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** Same formula as electronNativeBindingPath() in src-main/store/native-binding.ts: keep in step. */
function electronNativeBindingPath(root, electronVersion) {
  return join(root, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

function fail(what, hint) {
  console.error(`electron-native: ${what}`);
  if (hint) console.error(`electron-native: ${hint}`);
  console.error(
    'electron-native: fix the cause and run `node scripts/electron-native.mjs` (or `npm start`) again; ' +
      'nothing in node_modules was changed.',
  );
  process.exit(1);
}

function readVersion(packageDir, name) {
  const file = join(packageDir, 'package.json');
  try {
    const { version } = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof version !== 'string' || version === '') throw new Error('no "version" field');
    return version;
  } catch (error) {
    // Read package.json rather than require('electron'): requiring it would download the binary.
    return fail(`cannot read the ${name} version from ${relative(appRoot, file)}: ${error.message}`, 'run `npm install` first.');
  }
}

/** node-gyp: the copy bundled with the npm running us, else the one next to this node, else npx. */
function nodeGypCommand() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) {
    candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const nodePrefix = join(dirname(process.execPath), '..');
  candidates.push(join(nodePrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(nodePrefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const script = candidates.find((candidate) => candidate.endsWith('.js') && existsSync(candidate));
  if (script) return { command: process.execPath, args: [script], label: script };
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  return { command: npx, args: ['--no', 'node-gyp'], label: 'npx node-gyp', shell: process.platform === 'win32' };
}

/**
 * npm passes its config to scripts as npm_config_* variables, and node-gyp reads them: a
 * `nodedir` or `target` there would build against plain Node's headers instead of Electron's.
 * Drop every setting that chooses headers or runtime; the command line says what we want.
 */
function buildEnvironment() {
  const env = { ...process.env };
  const headerSettings = ['nodedir', 'target', 'runtime', 'disturl', 'dist_url', 'arch', 'target_arch', 'build_from_source'];
  for (const name of Object.keys(env)) {
    const lower = name.toLowerCase();
    if (headerSettings.some((setting) => lower === `npm_config_${setting}`)) delete env[name];
  }
  return env;
}

const electronVersion = readVersion(join(appRoot, 'node_modules', 'electron'), 'electron');
const target = electronNativeBindingPath(appRoot, electronVersion);

if (existsSync(target)) {
  process.exit(0);
}

if (!existsSync(join(sourceDir, 'binding.gyp'))) {
  fail(`better-sqlite3 sources not found in ${relative(appRoot, sourceDir)}`, 'run `npm install` first.');
}

console.log(`electron-native: building better-sqlite3 for Electron ${electronVersion} (once per Electron version)...`);

try {
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(dirname(buildDir), { recursive: true });
  // The prebuilt addon for plain Node (build/) is not needed: node-gyp rebuilds from source.
  cpSync(sourceDir, buildDir, {
    recursive: true,
    filter: (source) => relative(sourceDir, source).split(/[\\/]/)[0] !== 'build',
  });
} catch (error) {
  fail(`cannot copy ${relative(appRoot, sourceDir)} to ${relative(appRoot, buildDir)}: ${error.message}`);
}

const gyp = nodeGypCommand();
const gypArgs = [
  'rebuild',
  '--release',
  '--runtime=electron',
  `--target=${electronVersion}`,
  `--dist-url=${ELECTRON_HEADERS_URL}`,
];
console.log(`electron-native: ${gyp.label} ${gypArgs.join(' ')}  (in ${relative(appRoot, buildDir)})`);
const result = spawnSync(gyp.command, [...gyp.args, ...gypArgs], {
  cwd: buildDir,
  env: buildEnvironment(),
  stdio: 'inherit',
  shell: gyp.shell ?? false,
});

const built = join(buildDir, 'build', 'Release', 'better_sqlite3.node');
if (result.error || result.status !== 0 || !existsSync(built)) {
  const cause = result.error
    ? `could not run ${gyp.label}: ${result.error.message}`
    : result.status !== 0
      ? `node-gyp failed (exit ${result.status ?? `signal ${result.signal}`}) building better-sqlite3 for Electron ${electronVersion}`
      : `node-gyp finished but ${relative(appRoot, built)} is missing`;
  fail(
    cause,
    `it needs the Electron ${electronVersion} headers from ${ELECTRON_HEADERS_URL} (network), ` +
      'Python 3 and a C++20 compiler (build-essential / Xcode CLT / MSVC). See the node-gyp output above.',
  );
}

try {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(built, target);
} catch (error) {
  fail(`cannot copy ${relative(appRoot, built)} to ${relative(appRoot, target)}: ${error.message}`);
}

console.log(`electron-native: better-sqlite3 for Electron ${electronVersion} -> ${relative(appRoot, target)}`);
