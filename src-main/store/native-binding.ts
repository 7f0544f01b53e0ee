import { join } from 'node:path';

/**
 * Where better-sqlite3's native addon built for Electron's ABI sits, relative to a root:
 * the checkout, where `scripts/electron-native.mjs` builds it (node_modules keeps the copy
 * built for plain Node, which the CLI and the tests load), or a packaged app's resources
 * folder beside app.asar, where the packaging step copies that same file (a native addon is
 * loaded by the OS, which cannot read inside an archive). The script duplicates this formula:
 * keep the two in step.
 */
export function electronNativeBindingDir(electronVersion: string): string {
  return join('.native', `electron-${electronVersion}`);
}

export const NATIVE_BINDING_FILE = 'better_sqlite3.node';

/**
 * The addon the Electron main process passes to better-sqlite3 as its `nativeBinding` option.
 * `root` is the checkout in development and `process.resourcesPath` in a packaged app.
 */
export function electronNativeBindingPath(root: string, electronVersion: string): string {
  return join(root, electronNativeBindingDir(electronVersion), NATIVE_BINDING_FILE);
}
