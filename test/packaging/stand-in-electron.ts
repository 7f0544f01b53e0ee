// A stand-in for an unpacked Electron release (what electron-builder's `electronDist` points
// at), for packaging without downloading Electron. electron-builder copies the folder, renames
// the executable, adds the app next to it and flips the fuses in the executable: every file it
// touches is here, and the executable is a small shell script that carries Electron's fuse
// wire (the sentinel, then version 1, the wire length and one byte per fuse) exactly as the
// real binary does, so @electron/fuses finds and flips it.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Marks the fuse wire in an Electron binary (from @electron/fuses). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Electron's fuses in wire order, as @electron/fuses numbers them. */
const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

export type FuseName = (typeof FUSE_ORDER)[number];

/** Electron's defaults ('1' on, '0' off), the state of a freshly downloaded binary. */
const DEFAULT_WIRE = '10110001';

/** Writes the stand-in release into `dir` (which must exist); returns the executable's path. */
export function makeStandInElectronDist(dir: string, electronVersion: string): string {
  const executable = join(dir, 'electron');
  const script = [
    '#!/bin/sh',
    '# A stand-in for the Electron executable, for packaging tests: it cannot run an app.',
    `# fuse wire: ${FUSE_SENTINEL}\u0001${String.fromCharCode(DEFAULT_WIRE.length)}${DEFAULT_WIRE}`,
    'echo "stand-in Electron: not a real Electron binary" >&2',
    'exit 1',
    '',
  ].join('\n');
  writeFileSync(executable, script, 'latin1');
  chmodSync(executable, 0o755);
  writeFileSync(join(dir, 'version'), electronVersion);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for Electron\'s LICENSE file (MIT).\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<!doctype html><title>Stand-in</title>\n');
  for (const name of ['chrome-sandbox', 'chrome_crashpad_handler']) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, name), 0o755);
  }
  for (const name of ['resources.pak', 'chrome_100_percent.pak', 'chrome_200_percent.pak', 'icudtl.dat', 'snapshot_blob.bin', 'v8_context_snapshot.bin', 'libffmpeg.so']) {
    writeFileSync(join(dir, name), `stand-in ${name}\n`);
  }
  mkdirSync(join(dir, 'locales'));
  for (const locale of ['en-US', 'de']) writeFileSync(join(dir, 'locales', `${locale}.pak`), `stand-in ${locale}\n`);
  mkdirSync(join(dir, 'resources'));
  return executable;
}

/** The fuses as written in an executable: name -> '1' (on), '0' (off) or 'r' (removed). */
export function readFuseWire(executable: string): Record<FuseName, string> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`${executable}: no fuse wire`);
  const version = bytes[at + FUSE_SENTINEL.length];
  const length = bytes[at + FUSE_SENTINEL.length + 1] ?? 0;
  if (version !== 1) throw new Error(`${executable}: fuse wire version ${version}, expected 1`);
  const wire = bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + length).toString('latin1');
  return Object.fromEntries(FUSE_ORDER.map((name, index) => [name, wire[index] ?? '?'])) as Record<FuseName, string>;
}
