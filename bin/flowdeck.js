#!/usr/bin/env node
// Runs the CLI from its JavaScript build in out/cli (scripts/build-cli.mjs; `npm install` makes it).
//
// In a checkout (src-main is here) a build older than the sources is rebuilt first, saying so on
// stderr, so `npx flowdeck` after an edit never runs stale code; FLOWDECK_NO_REBUILD=1 runs the
// build as it is (the test run sets it: it built out/cli from the sources it started with).
// FLOWDECK_FROM_SOURCE=1 runs the TypeScript sources through tsx instead, for debugging.
import module from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node keeps the compiled code of every module it loads in its compile cache (in the OS temp
// folder unless NODE_COMPILE_CACHE says otherwise, so a read-only install works too): later
// starts skip most of the parsing. Node 22.1 and later.
module.enableCompileCache?.();

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../out/cli/main.js', import.meta.url);

/** esbuild's first error as `file:line:col: message`, or the error's own message. */
function buildError(e) {
  const first = e && Array.isArray(e.errors) ? e.errors[0] : undefined;
  if (!first) return e instanceof Error ? e.message : String(e);
  return `${first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : ''}${first.text}`;
}

/** In a checkout: builds out/cli when it is missing or older than the sources. */
async function rebuildIfStale() {
  const { buildCli, cliBundleState } = await import('../scripts/build-cli.mjs');
  const state = cliBundleState(root);
  if (state === 'fresh') return;
  process.stderr.write(
    state === 'missing'
      ? 'flowdeck: the CLI is not built yet (npm install builds it unless its scripts are off): building out/cli\n'
      : 'flowdeck: sources changed since out/cli was built: rebuilding it\n',
  );
  try {
    await buildCli(root);
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(String(e.message))) {
      // Dev dependencies left out (npm install --omit=dev): an existing build still runs.
      process.stderr.write(`flowdeck: esbuild (a dev dependency) is not installed, so out/cli cannot be ${state === 'stale' ? 'rebuilt: running the existing build' : 'built'}\n`);
      return;
    }
    process.stderr.write(`flowdeck: cannot build the CLI: ${buildError(e)}\n`);
    process.exit(1);
  }
}

async function loadMain() {
  if (process.env.FLOWDECK_FROM_SOURCE === '1') {
    const { register } = await import('tsx/esm/api');
    register();
    return import('../src-main/cli/main.ts');
  }
  if (existsSync(new URL('../src-main', import.meta.url)) && process.env.FLOWDECK_NO_REBUILD !== '1') await rebuildIfStale();
  if (!existsSync(entry)) {
    process.stderr.write('flowdeck: the CLI is not built (out/cli/main.js is missing): run `npm run build` in the Flowdeck folder\n');
    process.exit(1);
  }
  return import(entry.href);
}

const { main } = await loadMain();
const code = await main(process.argv);
// Exit once our output is flushed, whatever timers or ports a library left open.
const flushed = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.once('drain', resolve)));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
