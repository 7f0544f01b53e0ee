// Packages the app the way `npm run dist` does (electron-builder with electron-builder.config.ts),
// as an unpacked Linux app (`--linux dir`), against a stand-in Electron release so that nothing
// is downloaded, then reads the result: what app.asar holds, what sits beside it, and the fuses
// written into the executable. The installers (AppImage, deb, dmg, nsis) need tools and real
// Electron binaries that are downloaded on first use, so they are not built here.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOWDECK_FUSES, installedElectronVersion } from '../../electron-builder.config';
import { WINDOW_ICON } from '../../src-main/app/app-identity';
import { electronNativeBindingPath } from '../../src-main/store/native-binding';
import { makeStandInElectronDist, readFuseWire } from './stand-in-electron';

const repoRoot = resolve(import.meta.dirname, '../..');
const BUILD_DIRS = ['out/main', 'out/preload', 'out/renderer'];
const BUILD_OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const QUICKJS_WASM = 'node_modules/@jitl/quickjs-ng-wasmfile-release-sync/dist/emscripten-module.wasm';
const NODE_ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
const EXECUTABLE = 'flowdeck-app';
/** Nothing listens on the discard port: a download attempt fails at once instead of hanging. */
const NO_NETWORK = 'http://127.0.0.1:9/';

function buildIfMissing(): void {
  if (BUILD_OUTPUTS.every((file) => existsSync(join(repoRoot, file)))) return;
  const cli = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`electron-vite build exited ${result.status ?? result.signal}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

function runElectronBuilder(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'electron-builder', 'cli.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

const onLinux = process.platform === 'linux';
if (!onLinux) console.warn('packaging test: builds the Linux layout and runs on Linux only; skipped here');

describe.skipIf(!onLinux)('the packaged app: electron-builder --linux dir against a stand-in Electron', () => {
  const electronVersion = installedElectronVersion(repoRoot);
  let work = '';
  let appOutDir = '';
  let resourcesDir = '';
  let asarPath = '';
  let asarEntries: string[] = [];

  beforeAll(async () => {
    buildIfMissing();
    work = mkdtempSync(join(tmpdir(), 'flowdeck-packaging-'));
    const electronDist = join(work, 'electron');
    mkdirSync(electronDist);
    makeStandInElectronDist(electronDist, electronVersion);
    // Building better-sqlite3 for Electron needs Electron's headers (a download); the plain
    // Node build stands in for it: the test checks where the addon lands, not its ABI.
    const addonDir = join(work, 'addon');
    mkdirSync(addonDir);
    copyFileSync(join(repoRoot, NODE_ADDON), join(addonDir, 'better_sqlite3.node'));
    const config = join(work, 'builder.config.ts');
    writeFileSync(
      config,
      [
        `import { flowdeckBuilderConfig } from ${JSON.stringify(join(repoRoot, 'electron-builder.config.ts'))};`,
        `const base = flowdeckBuilderConfig({ nativeAddonDir: ${JSON.stringify(addonDir)} });`,
        `export default { ...base, electronDist: ${JSON.stringify(electronDist)}, directories: { output: ${JSON.stringify(join(work, 'dist'))} } };`,
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_BUILDER_CACHE: join(work, 'cache'),
      ELECTRON_MIRROR: NO_NETWORK,
      ELECTRON_BUILDER_BINARIES_MIRROR: NO_NETWORK,
      ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true',
    };
    const result = await runElectronBuilder(['--linux', 'dir', '--publish', 'never', '--config', config], env, 240_000);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/download/i);
    appOutDir = join(work, 'dist', 'linux-unpacked');
    resourcesDir = join(appOutDir, 'resources');
    asarPath = join(resourcesDir, 'app.asar');
    asarEntries = listPackage(asarPath, { isPack: false }).map((entry) => entry.replace(/^[\\/]/, '').split('\\').join('/'));
  }, 300_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('app.asar holds the whole electron-vite build and nothing else from out/', () => {
    const built = BUILD_DIRS.flatMap((dir) => filesUnder(join(repoRoot, dir)));
    expect(built).toEqual(expect.arrayContaining(BUILD_OUTPUTS));
    const packed = asarEntries.filter((entry) => entry.startsWith('out/') && !('files' in statFile(asarPath, entry)));
    expect([...packed].sort()).toEqual([...built].sort());
    for (const file of BUILD_OUTPUTS) {
      expect(extractFile(asarPath, file).equals(readFileSync(join(repoRoot, file))), file).toBe(true);
    }
  });

  it("app.asar's package.json starts out/main/index.js as an ES module and names the desktop entry", () => {
    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'flowdeck', type: 'module', main: './out/main/index.js', desktopName: `${EXECUTABLE}.desktop` });
  });

  it('node_modules holds what the main process imports, not dev tools nor the plain-Node addon', () => {
    const modules = new Set(asarEntries.filter((entry) => entry.startsWith('node_modules/')).map((entry) => entry.split('/').slice(1, entry.startsWith('node_modules/@') ? 3 : 2).join('/')));
    for (const name of ['better-sqlite3', 'ssh2', 'yaml', 'zod', 'node-cron', 'quickjs-emscripten-core', '@jitl/quickjs-ng-wasmfile-release-sync']) {
      expect(modules, name).toContain(name);
    }
    for (const name of ['electron', 'electron-builder', 'react', 'vite', 'vitest', 'typescript', 'tsx', 'esbuild']) {
      expect(modules, name).not.toContain(name);
    }
    // The one addon inside is node-pty's: built on Node-API (the same file loads in Node and in
    // Electron), and unpacked beside the archive, where the OS can load it.
    const addons = asarEntries.filter((entry) => entry.endsWith('.node'));
    expect(addons.filter((entry) => !entry.startsWith('node_modules/node-pty/'))).toEqual([]);
    for (const addon of addons) expect(statFile(asarPath, addon), addon).toMatchObject({ unpacked: true });
  });

  it("QuickJS's WebAssembly is unpacked from app.asar, byte for byte", () => {
    expect(statFile(asarPath, QUICKJS_WASM)).toMatchObject({ unpacked: true });
    const unpacked = join(resourcesDir, 'app.asar.unpacked', QUICKJS_WASM);
    expect(readFileSync(unpacked).equals(readFileSync(join(repoRoot, QUICKJS_WASM)))).toBe(true);
  });

  it("better-sqlite3's Electron addon sits beside app.asar, where the app looks for it", () => {
    const addon = electronNativeBindingPath(resourcesDir, electronVersion);
    expect(relative(resourcesDir, addon).split('\\').join('/')).toBe(`.native/electron-${electronVersion}/better_sqlite3.node`);
    expect(readFileSync(addon).equals(readFileSync(join(repoRoot, NODE_ADDON)))).toBe(true);
  });

  it('the window icon and the sample inventory and flows ship with the app', () => {
    expect(extractFile(asarPath, WINDOW_ICON).equals(readFileSync(join(repoRoot, WINDOW_ICON)))).toBe(true);
    const samples = filesUnder(join(repoRoot, 'resources', 'samples')).map((file) => relative('resources/samples', file));
    expect(samples).toEqual(expect.arrayContaining(['inventory.yaml', 'flows/health-check.yaml', 'flows/rolling-restart.yaml']));
    for (const file of samples) {
      expect(readFileSync(join(resourcesDir, 'samples', file)).equals(readFileSync(join(repoRoot, 'resources', 'samples', file))), file).toBe(true);
    }
  });

  it('the executable is renamed and its fuses are flipped', () => {
    expect(existsSync(join(appOutDir, 'electron'))).toBe(false);
    expect(readFuseWire(join(appOutDir, EXECUTABLE))).toEqual({
      runAsNode: '0',
      enableCookieEncryption: '1',
      enableNodeOptionsEnvironmentVariable: '0',
      enableNodeCliInspectArguments: '0',
      enableEmbeddedAsarIntegrityValidation: '1',
      onlyLoadAppFromAsar: '1',
      // Left as Electron ships them.
      loadBrowserProcessSpecificV8Snapshot: '0',
      grantFileProtocolExtraPrivileges: '1',
    });
    // The configuration says the same as the binary (a fuse added to the config shows up here).
    const flipped = readFuseWire(join(appOutDir, EXECUTABLE));
    for (const [name, on] of Object.entries(FLOWDECK_FUSES)) {
      expect(flipped[name as keyof typeof flipped], name).toBe(on ? '1' : '0');
    }
  });
});
