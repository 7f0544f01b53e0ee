import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { FlowdeckError } from '../../src-shared/errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The file a URL path names inside `root` (a real path, symlinks resolved), or undefined:
 * undecodable or NUL-bearing paths, backslashes, dot-files and dot-segments (`..`, encoded or
 * not), anything whose real path leaves `root`, and anything that is not a regular file.
 */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s.startsWith('.'))) return undefined;
  const candidate = join(root, ...segments);
  if (!inside(root, candidate)) return undefined;
  try {
    const real = realpathSync(candidate);
    if (!inside(root, real) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** The real path of the renderer folder, which every served file must be inside. */
export function realRoot(dir: string): string {
  const real = realpathSync(dir);
  return real.endsWith(sep) ? real.slice(0, -1) : real;
}

/**
 * Fails with one line saying how to build the console when `dir` holds no renderer build (no
 * index.html): `flowdeck serve` checks before it opens anything, the headless server again.
 */
export function requireConsoleBuild(dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new FlowdeckError(
      'not-found',
      `no console build in ${dir}: run \`npx electron-vite build\` first (\`npm install\` runs it, unless its scripts were turned off)`,
    );
  }
}
