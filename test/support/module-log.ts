import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './cli';

const hooks = pathToFileURL(join(import.meta.dirname, 'module-log-hooks.mjs')).href;

/** Node options that log every module a process imports to the file named by FLOWDECK_MODULE_LOG. */
export function moduleLogArgs(): string[] {
  return ['--import', `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hooks)})`];
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/**
 * What a process loaded, from its module log: the URLs themselves, and the source modules
 * (paths like `src-main/engine/runtime.ts`, `node_modules/zod/...`) inside the out/cli files it
 * loaded, read from esbuild's metafile of that build.
 */
export function loadedModules(logFile: string): { urls: string[]; bundled: string[] } {
  const urls = [...new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean))];
  const meta = JSON.parse(readFileSync(join(repoRoot, 'out', 'cli', 'meta.json'), 'utf8')) as Metafile;
  const cliDir = pathToFileURL(join(repoRoot, 'out', 'cli')).href + '/';
  const bundled = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith(cliDir)) continue;
    const output = meta.outputs[relative(repoRoot, join(repoRoot, 'out', 'cli', url.slice(cliDir.length)))];
    for (const input of Object.keys(output?.inputs ?? {})) bundled.add(input);
  }
  return { urls, bundled: [...bundled] };
}
