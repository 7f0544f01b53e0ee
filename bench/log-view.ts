// "The log view opens a 1,000,000-line log in under a second and scrolls smoothly",
// measured in Debian's Chromium against the real headless console (`flowdeck serve`, run
// in-process here) on a database seeded by a real run through the engine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRun } from '../src-main/engine/executor';
import { openRuntime } from '../src-main/engine/runtime';
import { startHeadless, type HeadlessConsole } from '../src-main/headless/server';
import { saveInventory } from '../src-main/store/inventory-queries';
import { elementSchema } from '../src-shared/domain/inventory';
import { median, saveBenchFlow } from './fleet';

export const LOG_LINES = 1_000_000;
const ELEMENT = 'local-box';
const FLOW = 'logview';
const STEP = 'flood';
/**
 * 1,000,000 numbered lines of about 50 characters (52 MB), every 5th with a green `INFO` and one in
 * 50 wholly red (set on one line, reset at the start of the next: a colour carried across lines).
 * The number first, so the last line rendered can be checked.
 */
const LOG_COMMAND =
  `awk 'BEGIN { for (i = 1; i <= ${LOG_LINES}; i++) ` +
  `if (i % 50 == 25) printf "%d \\033[31mERROR worker[42] request id=%06d status=failed\\n\\033[0m", i, i; ` +
  `else if (i % 5 == 0) printf "%d \\033[32mINFO\\033[0m worker[42] request id=%06d status=ok\\n", i, i; ` +
  `else printf "%d INFO worker[42] request id=%06d status=ok\\n", i, i }'`;

const repoRoot = resolve(import.meta.dirname, '..');
const rendererDir = join(repoRoot, 'out', 'renderer');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // As in the e2e tests: nothing but the console on 127.0.0.1 resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const SCROLL_STEPS = 200;
/** LogView's row height (px). */
const LINE_HEIGHT = 17;
const LONG_FRAME_MS = 50;
const LOAD_TIMEOUT_MS = 120_000;

interface LogViewRound {
  /** Click on the step's cell -> first log line in the DOM, seen by the next animation frame (ms). */
  firstLinesMs: number;
  /** Click -> the view says `complete` with all LOG_LINES lines (ms). */
  fullLoadMs: number;
  /** The page's main thread busy (Chrome's TaskDuration) and running script, from the click to the full load (ms). */
  loadBusyMs: number;
  loadScriptMs: number;
  /** The longest gap between animation frames from the click to the full load: how frozen the page got while loading (ms). */
  loadLongestFrameMs: number;
  /** Frames over LONG_FRAME_MS from the click to the full load. */
  loadLongFrames: number;
  /** Frame intervals while scrolling top to bottom in SCROLL_STEPS steps, one step per frame (ms). */
  scrollMedianMs: number;
  scrollP95Ms: number;
  scrollMaxMs: number;
  scrollLongFrames: number;
  /** Scroll frames drawn with no row at the top or the bottom of the viewport. */
  scrollBlankFrames: number;
  /** The view's own work per scroll step: setting scrollTop and handling the scroll event (render included), median and p95 (ms). */
  scrollWorkMedianMs: number;
  scrollWorkP95Ms: number;
  /** scrollTop = the end -> the frame showing line LOG_LINES (ms). */
  jumpToEndMs: number;
  /** The page's JS heap after the load (bytes; Chromium's performance.memory), 0 if unknown. */
  heapBytes: number;
}

export interface LogViewResult {
  rounds: LogViewRound[];
  logChars: number;
  chunks: number;
  seedMs: number;
}

// ---------------------------------------------------------------------------------------------
// The renderer build (as test/e2e/support/console.ts does it, without the test runner's lock)

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function ensureRendererBuilt(): void {
  const index = join(rendererDir, 'index.html');
  if (existsSync(index)) {
    const built = statSync(index).mtimeMs;
    const sources = ['src-renderer', 'src-shared', 'electron.vite.config.ts'].map((p) => join(repoRoot, p)).filter((p) => existsSync(p));
    if (sources.every((p) => newestMtime(p) <= built)) return;
  }
  console.log('  (building the renderer: electron-vite build)');
  const cli = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`logview: electron-vite build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(index)) throw new Error(`logview: electron-vite build wrote no ${index}`);
}

// ---------------------------------------------------------------------------------------------
// The seed: one real run on a local element, one step printing the log

async function seed(dbPath: string): Promise<{ executionId: number; stepRunId: number; logChars: number; chunks: number }> {
  const rt = await openRuntime(dbPath);
  try {
    saveInventory(rt.db, { profiles: [], groups: [], elements: [elementSchema.parse({ id: ELEMENT, name: 'local', host: 'localhost', transport: 'local' })] });
    saveBenchFlow(rt, { id: FLOW, mode: 'serial', targets: { elements: [ELEMENT] }, steps: [{ id: STEP, run: LOG_COMMAND }] });
    const started = await startRun(rt.deps, { flow: FLOW });
    const status = await started.done;
    if (status !== 'succeeded') throw new Error(`logview: the seeding run ended ${status}`);
    const run = rt.db.prepare('SELECT id FROM step_runs WHERE execution_id = ? AND step_path = ?').get(started.id, STEP) as { id: number } | undefined;
    if (!run) throw new Error('logview: the seeding run has no step run');
    const stored = rt.db.prepare('SELECT count(*) AS chunks, sum(length(data)) AS chars FROM log_chunks WHERE step_run_id = ?').get(run.id) as { chunks: number; chars: number };
    return { executionId: started.id, stepRunId: run.id, logChars: stored.chars, chunks: stored.chunks };
  } finally {
    rt.close();
  }
}

// ---------------------------------------------------------------------------------------------
// In the page

interface OpenTimes {
  firstLinesMs: number;
  fullLoadMs: number;
  frames: number[];
  heapBytes: number;
}

/**
 * Clicks the cell and watches every animation frame until the view is complete: the time of the
 * first frame with a log line in the DOM, of the first one showing `complete` with every line,
 * and the intervals between frames meanwhile (a frame the page could not draw shows as a gap).
 */
function openLog(page: Page, cellSelector: string): Promise<OpenTimes> {
  return page.evaluate(
    ({ cellSelector, lines, timeoutMs }) =>
      new Promise<OpenTimes>((done, fail) => {
        const cell = document.querySelector<HTMLElement>(cellSelector);
        if (!cell) return fail(new Error(`no ${cellSelector} on the page`));
        const frames: number[] = [];
        let firstLinesMs = -1;
        const t0 = performance.now();
        let last = t0;
        const tick = (now: number): void => {
          frames.push(now - last);
          last = now;
          const view = document.querySelector('[data-testid="log-view"]');
          if (firstLinesMs < 0 && view?.querySelector('[data-testid="log-line"]')) firstLinesMs = now - t0;
          if (firstLinesMs >= 0 && view?.getAttribute('data-status') === 'complete' && view.getAttribute('data-lines') === String(lines)) {
            const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
            return done({ firstLinesMs, fullLoadMs: now - t0, frames, heapBytes: memory?.usedJSHeapSize ?? 0 });
          }
          if (view?.getAttribute('data-status') === 'error') return fail(new Error(`the log view failed: ${view.textContent ?? ''}`));
          if (now - t0 > timeoutMs) return fail(new Error(`the log view showed ${view?.getAttribute('data-lines') ?? 'no'} lines (${view?.getAttribute('data-status') ?? 'none'}) after ${timeoutMs} ms`));
          requestAnimationFrame(tick);
        };
        cell.click();
        requestAnimationFrame(tick);
      }),
    { cellSelector, lines: LOG_LINES, timeoutMs: LOAD_TIMEOUT_MS },
  );
}

/**
 * Scrolls the list from top to bottom, one step per animation frame. Each step sets scrollTop and
 * dispatches the scroll event at once, as a wheel or a scrollbar drag delivers it within the frame
 * (a scroll set from script would only be announced in the next frame, after a paint of the old
 * rows). Returns the frame intervals, the time each step's script took (the view's render), and how many frames had a gap in the rows over the viewport.
 */
function scrollThrough(page: Page, steps: number, lineHeight: number): Promise<{ intervals: number[]; work: number[]; blankFrames: number }> {
  return page.evaluate(
    ({ steps, lineHeight }) =>
      new Promise<{ intervals: number[]; work: number[]; blankFrames: number }>((done, fail) => {
        const el = document.querySelector<HTMLElement>('[data-testid="log-lines"]');
        if (!el) return fail(new Error('no log-lines scroller'));
        el.scrollTop = 0;
        const intervals: number[] = [];
        const work: number[] = [];
        let blankFrames = 0;
        let last = -1;
        let k = 0;
        const covered = (): boolean => {
          const first = Math.floor(el.scrollTop / lineHeight);
          const lastVisible = Math.min(Math.floor((el.scrollTop + el.clientHeight - 1) / lineHeight), Number(el.closest('[data-lines]')?.getAttribute('data-lines') ?? 0) - 1);
          return [first, lastVisible].every((i) => el.querySelector(`[data-testid="log-line"][data-index="${i}"]`) !== null);
        };
        const tick = (now: number): void => {
          if (last >= 0) intervals.push(now - last);
          last = now;
          if (k > steps) return done({ intervals, work, blankFrames });
          const t = performance.now();
          el.scrollTop = Math.round(((el.scrollHeight - el.clientHeight) * k) / steps);
          el.dispatchEvent(new Event('scroll'));
          work.push(performance.now() - t);
          if (!covered()) blankFrames++;
          k++;
          requestAnimationFrame(tick);
        };
        // Two frames at the top first, so the first interval measured is a scroll step's.
        requestAnimationFrame(() => requestAnimationFrame(tick));
      }),
    { steps, lineHeight },
  );
}

/** Jumps to the end; resolves with the time to the first frame in which line `lines` is drawn. */
function jumpToEnd(page: Page, lines: number): Promise<number> {
  return page.evaluate(
    (lines) =>
      new Promise<number>((done, fail) => {
        const el = document.querySelector<HTMLElement>('[data-testid="log-lines"]');
        if (!el) return fail(new Error('no log-lines scroller'));
        el.scrollTop = 0;
        requestAnimationFrame(() => {
          const t0 = performance.now();
          el.scrollTop = el.scrollHeight;
          const tick = (now: number): void => {
            const row = el.querySelector(`[data-testid="log-line"][data-index="${lines - 1}"]`);
            const text = row?.querySelector('.log-text')?.textContent ?? '';
            const box = row?.getBoundingClientRect();
            const view = el.getBoundingClientRect();
            if (row && box && text.startsWith(`${lines} `) && box.bottom <= view.bottom + 1 && box.top >= view.top) return done(now - t0);
            if (now - t0 > 5000) return fail(new Error(`line ${lines} was not drawn at the end (last row: ${row ? text : 'none'})`));
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
      }),
    lines,
  );
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

async function round(browser: Browser, con: HeadlessConsole, executionId: number): Promise<LogViewRound> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return /^http:\/\/127\.0\.0\.1[:/]/.test(url) ? route.continue() : route.abort('blockedbyclient');
    });
    // tsx keeps function names with an `__name(fn, "name")` helper that the functions handed to
    // page.evaluate carry along: give the page a no-op one.
    await context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(30_000);
    await page.goto(con.url);
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor();
    await page.evaluate((id) => (location.hash = `#/executions/${id}`), executionId);
    const cell = `[data-testid="grid-cell-${ELEMENT}-${STEP}"]`;
    await page.locator(cell).waitFor();
    await page.locator(`[data-testid="execution"][data-execution="${executionId}"][data-status="succeeded"]`).waitFor();

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async (): Promise<{ task: number; script: number }> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { task: get('TaskDuration'), script: get('ScriptDuration') };
    };
    const before = await busy();
    const open = await openLog(page, cell);
    const after = await busy();
    const { intervals: scroll, work, blankFrames } = await scrollThrough(page, SCROLL_STEPS, LINE_HEIGHT);
    const jumpToEndMs = await jumpToEnd(page, LOG_LINES);
    if (errors.length > 0) throw new Error(`logview: uncaught exceptions in the page: ${errors.join('; ')}`);
    const loadFrames = open.frames;
    return {
      firstLinesMs: open.firstLinesMs,
      fullLoadMs: open.fullLoadMs,
      loadBusyMs: after.task - before.task,
      loadScriptMs: after.script - before.script,
      loadLongestFrameMs: Math.max(...loadFrames),
      loadLongFrames: loadFrames.filter((f) => f > LONG_FRAME_MS).length,
      scrollMedianMs: median(scroll),
      scrollP95Ms: percentile(scroll, 95),
      scrollMaxMs: Math.max(...scroll),
      scrollLongFrames: scroll.filter((f) => f > LONG_FRAME_MS).length,
      scrollBlankFrames: blankFrames,
      scrollWorkMedianMs: median(work),
      scrollWorkP95Ms: percentile(work, 95),
      jumpToEndMs,
      heapBytes: open.heapBytes,
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Logs, the view: a 1,000,000-line log opened and scrolled in Chromium, `rounds` fresh pages. */
export async function logView(rounds = 3): Promise<LogViewResult> {
  if (!existsSync(CHROMIUM)) throw new Error(`logview: ${CHROMIUM} is missing (Debian's chromium package; never \`npx playwright install\`)`);
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-logview-'));
  let con: HeadlessConsole | null = null;
  let browser: Browser | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    const dbPath = join(dir, 'bench.db');
    const t0 = performance.now();
    const seeded = await seed(dbPath);
    const seedMs = performance.now() - t0;
    con = await startHeadless({ dbPath, rendererDir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    const out: LogViewRound[] = [];
    for (let r = 0; r < rounds; r++) out.push(await round(browser, con, seeded.executionId));
    return { rounds: out, logChars: seeded.logChars, chunks: seeded.chunks, seedMs };
  } finally {
    await browser?.close().catch(() => undefined);
    await con?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
