import { join } from 'node:path';

/**
 * Where `scripts/electron-native.mjs` puts the copy of better-sqlite3's native addon built
 * for Electron's ABI (node_modules keeps the copy built for plain Node, which the CLI and
 * the tests load). The Electron main process passes this path to better-sqlite3 as its
 * `nativeBinding` option. The script duplicates this formula: keep the two in step.
 */
export function electronNativeBindingPath(appRoot: string, electronVersion: string): string {
  return join(appRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}
