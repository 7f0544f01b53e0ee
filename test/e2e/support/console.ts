// End-to-end support: the real headless console (`flowdeck serve` as its own process, on a
// fresh database in a temp folder) driven by Debian's Chromium through playwright-core.
// Nothing here downloads a browser; nothing connects outside 127.0.0.0/8.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repoRoot, 'bin', 'flowdeck.js');
const rendererIndex = join(repoRoot, 'out', 'renderer', 'index.html');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // Belt and braces for "never leave loopback": no host name resolves, so nothing Chromium
  // might phone home to can be reached; only the console, 127.0.0.1, is left as it is.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Screenshots of every page land here (gitignored)... */
const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
/** ...and the ones the README shows also here (committed). */
const DOCS_SCREENSHOT_DIR = join(repoRoot, 'docs', 'screenshots');

const URL_LINE = /^Flowdeck console: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

// ---------------------------------------------------------------------------------------------
// The renderer build

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function rendererIsFresh(): boolean {
  if (!existsSync(rendererIndex)) return false;
  const built = statSync(rendererIndex).mtimeMs;
  // The renderer bundles src-shared too (the contract, the domain types).
  const sources = ['src-renderer', 'src-shared', 'electron.vite.config.ts'].map((p) => join(repoRoot, p)).filter((p) => existsSync(p));
  return sources.every((p) => newestMtime(p) <= built);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Builds out/renderer (`electron-vite build`) when index.html is missing or older than a source
 * file. Several test files may ask at once (vitest runs files side by side): a lock directory
 * lets one build while the others wait for it.
 */
export async function ensureRendererBuilt(): Promise<void> {
  if (rendererIsFresh()) return;
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const lock = join(repoRoot, 'out', '.e2e-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than 3 minutes was left by a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for ${lock}: another test run is building the renderer`);
      await sleep(250);
    }
  }
  try {
    if (rendererIsFresh()) return;
    const cli = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const r = spawnSync(process.execPath, [cli, 'build'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
    if (r.status !== 0) throw new Error(`npx electron-vite build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    if (!existsSync(rendererIndex)) throw new Error(`electron-vite build wrote no ${rendererIndex}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The console process

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Seed {
  /** Flowdeck YAML (or Ansible INI/YAML), imported with `flowdeck inventory import`. */
  inventory?: string;
  /** Flow files, imported with `flowdeck flow import`. */
  flows?: string[];
}

/** `flowdeck serve` on its own database; `stop()` ends it and removes the folder. */
export class ConsoleServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowdeck-e2e-'));
  readonly db = join(this.dir, 'flowdeck.db');
  readonly env: NodeJS.ProcessEnv;
  url = '';
  token = '';
  port = 0;
  stderr = '';
  private child: ChildProcess | null = null;

  constructor() {
    this.env = {
      ...process.env,
      FLOWDECK_DB: this.db,
      FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64'),
      NO_COLOR: '1',
    };
  }

  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** One CLI command on this console's database, as its own process. */
  cli(args: readonly string[]): Promise<CliResult> {
    const child = spawn(process.execPath, [bin, ...args], { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  async seed(seed: Seed): Promise<void> {
    if (seed.inventory !== undefined) {
      const r = await this.cli(['inventory', 'import', this.file('seed-inventory.yaml', seed.inventory)]);
      if (r.code !== 0) throw new Error(`seeding the inventory failed (exit ${r.code}): ${r.stderr}`);
    }
    if (seed.flows && seed.flows.length > 0) {
      const files = seed.flows.map((text, i) => this.file(`seed-flow-${i}.yaml`, text));
      const r = await this.cli(['flow', 'import', ...files]);
      if (r.code !== 0) throw new Error(`seeding the flows failed (exit ${r.code}): ${r.stderr}`);
    }
  }

  /** Starts `flowdeck serve --port 0` and reads its URL line. */
  async start(): Promise<this> {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    let stdout = '';
    const line = await new Promise<RegExpExecArray>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`flowdeck serve printed no URL within 30 s:\n${stdout}\n${this.stderr}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const m = URL_LINE.exec(stdout);
        if (m) {
          clearTimeout(timer);
          done(m);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`flowdeck serve exited (${code ?? signal}) before printing its URL:\n${stdout}\n${this.stderr}`));
      });
    });
    this.url = line[1] as string;
    this.port = Number(line[2]);
    this.token = line[3] as string;
    return this;
  }

  /** SIGTERM (the console cancels its runs and closes), SIGKILL if it takes too long; then the folder goes. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`bash scripts/install-system-deps.sh\` (Debian's chromium package); never \`npx playwright install\``);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** True for addresses on loopback (and the page's own data:/blob: URLs). */
function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return /^127\.\d+\.\d+\.\d+$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface Session {
  server: ConsoleServer;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page: every test expects none. */
  pageErrors: string[];
  /** Requests the page tried to send off loopback (refused): every test expects none. */
  refused: string[];
}

/**
 * Registers the hooks for one test file: one Chromium for the file, one console process and one
 * browser context per test (`open`), all ended after each test whatever happened.
 */
export function useConsole(): { open(seed?: Seed, opts?: { env?: NodeJS.ProcessEnv }): Promise<Session>; browser(): Browser } {
  let browser: Browser | null = null;
  const live: Session[] = [];
  const servers: ConsoleServer[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    browser = await launchChromium();
  }, 240_000);

  afterEach(async () => {
    const sessions = live.splice(0);
    for (const s of sessions) await s.context.close().catch(() => undefined);
    for (const server of servers.splice(0)) await server.stop();
    for (const s of sessions) {
      expect(s.pageErrors, 'uncaught exceptions in the page').toEqual([]);
      expect(s.refused, 'requests off loopback').toEqual([]);
    }
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  return {
    browser(): Browser {
      if (!browser) throw new Error('the browser is not running');
      return browser;
    },
    async open(seed: Seed = {}, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Session> {
      if (!browser) throw new Error('the browser is not running');
      const server = new ConsoleServer();
      Object.assign(server.env, opts.env ?? {});
      servers.push(server);
      await server.seed(seed);
      await server.start();
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      const refused: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        refused.push(url);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const session: Session = { server, context, page, pageErrors: [], refused };
      live.push(session);
      page.on('pageerror', (e) => session.pageErrors.push(e.message));
      page.setDefaultTimeout(15_000);
      await page.goto(server.url);
      await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
      return session;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Page helpers

export const byTestId = (page: Page | Locator, id: string): Locator => page.locator(`[data-testid="${id}"]`);

/** Replaces the whole text of the CodeMirror editor, as a paste would. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const content = page.locator('[data-testid="flow-editor-yaml"] .cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await eventually(() => editorText(page)).toBe(text);
}

/** The editor's text, line by line as CodeMirror shows it. */
export async function editorText(page: Page): Promise<string> {
  return page.locator('[data-testid="flow-editor-yaml"] .cm-content').evaluate((el) =>
    [...el.querySelectorAll(':scope > .cm-line')].map((l) => (l.textContent ?? '').replace(/\u200b/g, '')).join('\n'),
  );
}

/**
 * `name.png` in test-results/screenshots (every run). With `docs`, also docs/screenshots/name.png,
 * the committed copy the README shows: written when it is missing, or refreshed on purpose with
 * FLOWDECK_DOCS_SCREENSHOTS=1 (so an ordinary test run does not leave the work tree modified
 * just because a clock on the page moved).
 */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  const docsCopy = join(DOCS_SCREENSHOT_DIR, `${name}.png`);
  if (opts.docs && (process.env.FLOWDECK_DOCS_SCREENSHOTS === '1' || !existsSync(docsCopy))) {
    mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(path, docsCopy);
  }
  return path;
}

/** The elements' `data-element` values in document order. */
export function dataElements(list: Locator): Promise<string[]> {
  return list.evaluateAll((els) => els.map((e) => e.getAttribute('data-element') ?? ''));
}

/** `expect.poll` with room for a loaded machine: 10 s, every 50 ms. */
export function eventually<T>(fn: () => T | Promise<T>, timeout = 10_000): ReturnType<typeof expect.poll<T>> {
  return expect.poll(fn, { timeout, interval: 50 });
}

/** The first match's text, or null when there is none: reads at once, never waits (for polling). */
export function textOf(locator: Locator): Promise<string | null> {
  return locator.evaluateAll((els) => (els.length > 0 ? (els[0] as Element).textContent : null));
}

/** The first match's attribute, or null when there is none; never waits. */
export function attrOf(locator: Locator, name: string): Promise<string | null> {
  return locator.evaluateAll((els, n) => (els.length > 0 ? (els[0] as Element).getAttribute(n) : null), name);
}
