import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How to start a sandbox worker: a built file, or the TypeScript sources through tsx. */
export interface WorkerEntry {
  target: string | URL;
  eval: boolean;
}

/** The name the builds (the CLI bundle, the app's main bundle) give the worker's entry. */
const BUILT_WORKER_FILE = 'sandbox-worker.js';

/**
 * Built, this module sits in a bundle whose worker entry is `sandbox-worker.js` beside it (or
 * one folder up, from a chunk folder). From the sources (tests, `FLOWDECK_FROM_SOURCE`), the
 * worker is the TypeScript file itself, loaded through tsx like the code that starts it.
 */
export function sandboxWorkerEntry(): WorkerEntry {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href;
    const worker = new URL('./worker.ts', here).href;
    // Run as a CommonJS script (the form eval workers take); any failure to boot reaches the
    // pool as the worker's 'error' event.
    const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); }).catch((error) => { process.nextTick(() => { throw error; }); });`;
    return { target: boot, eval: true };
  }
  const dir = dirname(fileURLToPath(here));
  for (const candidate of [join(dir, BUILT_WORKER_FILE), join(dir, '..', BUILT_WORKER_FILE)]) {
    if (existsSync(candidate)) return { target: candidate, eval: false };
  }
  throw new Error(`the script sandbox's worker (${BUILT_WORKER_FILE}) is missing next to ${fileURLToPath(here)}: rebuild with \`npm run build\``);
}
