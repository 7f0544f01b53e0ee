import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** This install's version (its package.json, found upwards from this module: sources, CLI bundle or app). */
export function flowdeckVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'flowdeck' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not ours: keep looking upwards
      }
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
