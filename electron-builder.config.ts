// Packaging: `npm run dist` builds the installers for the platform it runs on (AppImage and
// deb on Linux, dmg on macOS, an NSIS installer on Windows) from the electron-vite build in out/.
// electron-builder finds this file by its name; test/packaging builds an unpacked Linux app
// from the same configuration (flowdeckBuilderConfig) against a stand-in Electron.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Arch, type AfterPackContext, type Configuration } from 'electron-builder';
import { APP_ID, PRODUCT_NAME, WINDOW_ICON } from './src-main/app/app-identity';
import { electronNativeBindingDir, NATIVE_BINDING_FILE } from './src-main/store/native-binding';

const projectDir = import.meta.dirname;

/** The installed Electron's version: the one electron-builder packages and the addon is built for. */
export function installedElectronVersion(root = projectDir): string {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('node_modules/electron/package.json has no version: run `npm install`');
  return pkg.version;
}

/** The Linux executable, its desktop entry and the window class all carry this name. */
const LINUX_EXECUTABLE = 'flowdeck-app';

/**
 * Who publishes the app: a deb needs a maintainer address and a homepage, the installers show
 * the name. Placeholders on reserved names until the project has real ones.
 */
const PUBLISHER = {
  name: `${PRODUCT_NAME} contributors`,
  email: 'maintainers@flowdeck.invalid',
  homepage: 'https://flowdeck.invalid/',
};

/**
 * Fuses are switches compiled into the Electron binary; electron-builder flips them in the
 * packaged copy, after which the app cannot turn them back.
 */
export const FLOWDECK_FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node.js interpreter.
  runAsNode: false,
  // Cookies on disk encrypted with the OS keychain, as Chrome does (the app keeps none today).
  enableCookieEncryption: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect would let anyone who can start the app
  // inject code into the process that holds the decrypted credentials.
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // app.asar is checked against the hash electron-builder records in the bundle's Info.plist
  // (macOS) or the executable's resources (Windows). Electron has no such check on Linux: the
  // fuse is set there too, and nothing reads it.
  enableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded: no loose `resources/app` folder can replace the checked archive.
  onlyLoadAppFromAsar: true,
} as const;

export interface FlowdeckBuilderOptions {
  /**
   * The folder holding better-sqlite3's addon built for this Electron (`scripts/electron-native.mjs`
   * makes it; the default is where that script puts it).
   */
  nativeAddonDir?: string;
}

/**
 * The Electron build of the addon comes from this machine's `.native` folder, so a package for
 * another operating system or processor would carry an addon that cannot load there: refuse it
 * before anything is copied, and refuse a missing addon with the command that makes it.
 */
// electron-builder gives beforePack the same context type it names AfterPackContext.
function checkNativeAddon(addonFile: string): (context: AfterPackContext) => void {
  return (context) => {
    const arch = Arch[context.arch];
    const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
    const hostArch = process.arch === 'arm' ? 'armv7l' : process.arch;
    if (platform !== process.platform || arch !== hostArch) {
      throw new Error(
        `flowdeck: cannot package for ${platform}-${arch} on ${process.platform}-${hostArch}: ` +
          'the Electron build of better-sqlite3 is made for this machine; run `npm run dist` on the target platform',
      );
    }
    if (!existsSync(addonFile)) {
      throw new Error(`flowdeck: ${addonFile} is missing: run \`node scripts/electron-native.mjs\` (npm run dist does) first`);
    }
  };
}

export function flowdeckBuilderConfig(options: FlowdeckBuilderOptions = {}): Configuration {
  const electronVersion = installedElectronVersion();
  const addonDir = electronNativeBindingDir(electronVersion);
  const addonSource = resolve(projectDir, options.nativeAddonDir ?? addonDir);
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: `Copyright © ${PUBLISHER.name}`,
    electronVersion,
    directories: { output: 'dist' },
    // electron-vite's output and what the running app reads beside it. Production
    // dependencies (node_modules) are added by electron-builder and filtered by the ! lines.
    files: [
      'package.json',
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      WINDOW_ICON,
      // better-sqlite3's own build (for plain Node: the app never loads it) and its C sources.
      '!node_modules/better-sqlite3/{build,deps,src}/**',
      // The CLI's TypeScript runner and the compiler binary it brings: the app runs built JS.
      '!node_modules/{tsx,esbuild,@esbuild}/**',
      // msgpackr's optional native accelerator (through bullmq): built for plain Node's ABI, and
      // msgpackr runs without it; like every native module, only Electron-ABI builds ship.
      '!node_modules/{msgpackr-extract,@msgpackr-extract}/**',
      // node-pty's C++ sources and the third-party code it compiles from: its built addon ships.
      '!node_modules/node-pty/{src,deps,third_party}/**',
    ],
    // Beside app.asar, as plain files: the sample inventory and flows, for the operator to
    // import; and the addon, which the OS loads itself (it cannot read inside an archive), at
    // the same path under the resources folder as under a checkout, so one formula
    // (electronNativeBindingPath) finds it in both.
    extraResources: [
      { from: 'resources/samples', to: 'samples' },
      { from: addonSource, to: addonDir, filter: [NATIVE_BINDING_FILE] },
    ],
    asar: true,
    // QuickJS reads its WebAssembly with fs: unpacked, it is read as a plain file. The script
    // sandbox's worker thread (out/main/sandbox-worker.js) stays inside app.asar: since Electron
    // 18 a worker thread gets the same archive support as the main thread, and Electron's own
    // tests start a worker_threads Worker from a script inside an asar archive.
    // node-pty's addon (local shells in the console) is loaded by the OS, so it must be a plain file
    // too; it is built on Node-API, whose ABI Electron shares, so the build npm made loads as is.
    asarUnpack: ['node_modules/@jitl/quickjs-ng-wasmfile-release-sync/dist/*.wasm', 'node_modules/node-pty/build/Release/*', 'node_modules/node-pty/prebuilds/**'],
    // electron-builder's rebuild would turn node_modules/better-sqlite3 in this checkout into an
    // Electron-only build (the CLI and the tests need the plain Node one) and try to compile
    // ssh2's optional cpu-features; the Electron addon comes from .native instead (files above).
    npmRebuild: false,
    buildDependenciesFromSource: false,
    beforePack: checkNativeAddon(join(addonSource, NATIVE_BINDING_FILE)),
    electronFuses: { ...FLOWDECK_FUSES },
    extraMetadata: {
      author: { name: PUBLISHER.name, email: PUBLISHER.email },
      homepage: PUBLISHER.homepage,
      // Electron names its Linux window class and the desktop entry of its notifications after
      // this, so the running app matches the entry the installer writes (syncDesktopName).
      desktopName: `${LINUX_EXECUTABLE}.desktop`,
    },
    linux: {
      target: ['AppImage', 'deb'],
      executableName: LINUX_EXECUTABLE,
      syncDesktopName: true,
      icon: 'resources/icons',
      category: 'System',
      synopsis: 'Run flows of steps on your hosts over SSH and read what happened on every host',
    },
    mac: {
      target: ['dmg'],
      icon: 'resources/icon.icns',
      category: 'public.app-category.developer-tools',
    },
    win: {
      target: ['nsis'],
      icon: 'resources/icon.ico',
    },
    nsis: {
      oneClick: false,
      allowToChangeInstallationDirectory: true,
    },
  };
}

export default flowdeckBuilderConfig();
