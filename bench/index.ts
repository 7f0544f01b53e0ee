import { ansibleBench } from './ansible';
import { cliFanout, cliStartup } from './cli';
import { engineOverhead } from './engine-overhead';
import { MB, median, verdict } from './fleet';
import { LOG_BYTES, logThroughput } from './log-throughput';
import { LOG_LINES, logView } from './log-view';
import { FANOUT_COMMANDS, sshFanout } from './ssh-fanout';
import { sshWarmStep } from './ssh-warm-step';
import { sandboxBench } from './sandbox';
import { runnersBench } from './runners';

const BENCHES = ['engine', 'sandbox', 'fanout', 'warm', 'logs', 'logview', 'cli', 'runners', 'ansible'] as const;
type BenchName = (typeof BENCHES)[number];

const FANOUT_MAX_RATIO = 1.2;
/** "Far ahead of Ansible with the same forks": the whole `flowdeck run` at most this share of Ansible's fastest playbook. */
const ANSIBLE_MAX_SHARE = 0.5;
/** Through one runner, within this many times the same flow run directly. */
const RUNNER_MAX_RATIO = 1.3;
/** A CLI command starts within this many times `node -e 0`. */
const CLI_MAX_STARTUP_RATIO = 3;
const WARM_MAX_OVERHEAD_MS = 15;
const LOGS_MIN_MBPS = 50;
/** "Memory flat": RSS in the second half of the step no more than this above the first half's peak. */
const LOGS_MAX_SECOND_HALF_GROWTH = 16 * MB;
/** "Opens in under a second": the click to the first lines drawn, the page answering. */
const LOGVIEW_MAX_FIRST_LINES_MS = 1000;
/**
 * "Scrolls smoothly": while scrolling, the 95th percentile of frame intervals at most two frames
 * (rAF intervals come in 16.7 ms steps: one dropped frame at worst), the view's own work per step
 * within one 60 Hz frame, and never a frame with rows missing over the viewport.
 */
const LOGVIEW_MAX_SCROLL_P95_MS = 34;
const LOGVIEW_FRAME_MS = 1000 / 60;

const ms = (x: number, digits = 0): string => `${x.toFixed(digits)} ms`;
const mb = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / MB).toFixed(0)} MB`;

async function engine(): Promise<void> {
  console.log('engine overhead: 2,000 elements x 5 steps, no-op transport, every state change and log committed to SQLite');
  for (const mode of ['parallel', 'serial'] as const) {
    const r = await engineOverhead(mode);
    const v = r.perStepRunMs < 1 ? 'ok (< 1 ms)' : 'OVER the 1 ms target';
    console.log(`  ${mode.padEnd(8)} ${r.stepRuns} step runs in ${(r.wallMs / 1000).toFixed(2)} s = ${r.perStepRunMs.toFixed(3)} ms per step run  ${v}`);
  }
}

async function sandbox(): Promise<void> {
  const r = await sandboxBench(5);
  const us = (x: number): string => `${x.toFixed(0)} µs`.padStart(8);
  const row = (what: string, c: { inThreadUs: number; pooledUs: number }): string =>
    `  ${what.padEnd(34)} in-thread ${us(c.inThreadUs)}   worker ${us(c.pooledUs)}   (+${(c.pooledUs - c.inThreadUs).toFixed(0)} µs, ${(c.pooledUs / c.inThreadUs).toFixed(2)}x)`;
  console.log(`sandbox: the price of running scripts on worker threads with a hard deadline; per call, median of ${r.rounds} rounds`);
  console.log(row('expression (a when:)', r.expression));
  console.log(row('template (3 slots)', r.template));
  console.log(row(`processing script (${r.processing.elements} elements)`, r.processing));
  console.log(`  targets expression over ${r.each.elements.toLocaleString('en-US')} elements, one round trip: ${(r.each.pooledUs / 1000).toFixed(1)} ms in all`);
}

async function fanout(): Promise<void> {
  const r = await sshFanout(50, 7);
  console.log(
    `ssh fan-out: 3-step parallel flow (${FANOUT_COMMANDS.join('; ')}) on ${r.hosts} hosts (${r.listeners} sshds), concurrency ${r.hosts}, ` +
      `median of ${r.rounds} alternating rounds`,
  );
  console.log(`  bare ssh2   ${ms(r.bareMedianMs).padStart(8)}  (${r.bareMs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  bare wrapped${ms(r.bareWrappedMedianMs).padStart(8)}  (${r.bareWrappedMs.map((x) => x.toFixed(0)).join(', ')})  the product's command wrapper (pgid marker, lifeline), channel input held open as the product holds it`);
  console.log(`  flowdeck    ${ms(r.flowdeckMedianMs).padStart(8)}  (${r.flowdeckMs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  ratio flowdeck/bare ${r.ratio.toFixed(2)}  ${verdict(r.ratio <= FANOUT_MAX_RATIO)} (<= ${FANOUT_MAX_RATIO})`);
  console.log(`  ratio flowdeck/bare wrapped ${r.ratioWrapped.toFixed(2)}  (what the engine adds beyond the command wrapper)`);
  console.log(`  logins per flowdeck run: ${r.loginsPerRun} (one connection per element per execution)`);
}

async function warm(): Promise<void> {
  const r = await sshWarmStep(200, 3);
  console.log(`warm connection: ${r.steps} \`true\` steps in a serial flow on one SSH element, median of ${r.rounds} rounds`);
  console.log(`  bare ssh2 exec            ${ms(r.bareMs, 2)} per step`);
  console.log(`  bare ssh2, wrapped        ${ms(r.bareWrappedMs, 2)} per step  (the product's command wrapper: pgid marker, lifeline; input held open)`);
  console.log(`  flowdeck                  ${ms(r.flowdeckMs, 2)} per step`);
  console.log(`  overhead flowdeck - bare  ${ms(r.overheadMs, 2)} per step  ${verdict(r.overheadMs < WARM_MAX_OVERHEAD_MS)} (< ${WARM_MAX_OVERHEAD_MS} ms)`);
}

async function logs(): Promise<void> {
  const results = await logThroughput(['ssh', 'local'], 2);
  console.log(`logs: ${LOG_BYTES / MB} MB from one step (100-byte lines), persisted to SQLite; raw = the same stream read and discarded; median of ${results[0]?.rounds ?? 0} rounds`);
  for (const r of results) {
    const flat = r.rssSecondHalf <= LOGS_MAX_SECOND_HALF_GROWTH;
    console.log(
      `  ${r.transport.padEnd(5)}  raw ${r.rawMBps.toFixed(0)} MB/s  persisted ${r.persistedMBps.toFixed(0)} MB/s ${verdict(r.persistedMBps >= LOGS_MIN_MBPS)} (>= ${LOGS_MIN_MBPS})` +
        `  peak RSS ${mb(r.rssGrowth)}, second half ${mb(r.rssSecondHalf)} vs first: ${flat ? 'flat' : 'GROWING'}` +
        `  stored ${r.storedBytes.toLocaleString('en-US')} chars ok`,
    );
  }
}

async function logview(): Promise<void> {
  const r = await logView(3);
  const rounds = r.rounds;
  const med = (f: (x: (typeof rounds)[number]) => number): number => median(rounds.map(f));
  const list = (f: (x: (typeof rounds)[number]) => number): string => rounds.map((x) => f(x).toFixed(0)).join(', ');
  console.log(
    `log view: a ${LOG_LINES.toLocaleString('en-US')}-line log (${(r.logChars / MB).toFixed(0)} MB in ${r.chunks.toLocaleString('en-US')} chunks, ANSI colours) ` +
      `opened in Chromium from the real headless console; median of ${rounds.length} fresh pages`,
  );
  const first = med((x) => x.firstLinesMs);
  console.log(`  opens: click -> first lines drawn ${ms(first).padStart(8)}  (${list((x) => x.firstLinesMs)})  ${verdict(first < LOGVIEW_MAX_FIRST_LINES_MS)} (< ${LOGVIEW_MAX_FIRST_LINES_MS} ms: the target applies here)`);
  console.log(
    `  all ${LOG_LINES.toLocaleString('en-US')} lines loaded   ${ms(med((x) => x.fullLoadMs)).padStart(8)}  (${list((x) => x.fullLoadMs)})  informative; ` +
      `the page busy ${ms(med((x) => x.loadBusyMs))} of it (script ${ms(med((x) => x.loadScriptMs))}), the rest waiting on the console; longest frame ${ms(med((x) => x.loadLongestFrameMs))}, ${med((x) => x.loadLongFrames)} frames > 50 ms; page JS heap ${(med((x) => x.heapBytes) / MB).toFixed(0)} MB`,
  );
  const p95 = med((x) => x.scrollP95Ms);
  const workP95 = med((x) => x.scrollWorkP95Ms);
  const smooth = p95 <= LOGVIEW_MAX_SCROLL_P95_MS && workP95 < LOGVIEW_FRAME_MS && rounds.every((x) => x.scrollBlankFrames === 0);
  console.log(
    `  scroll top -> bottom in 200 frames: frame median ${ms(med((x) => x.scrollMedianMs), 1)}, p95 ${ms(p95, 1)}, max ${ms(med((x) => x.scrollMaxMs))}, ` +
      `${med((x) => x.scrollLongFrames)} frames > 50 ms, ${med((x) => x.scrollBlankFrames)} with rows missing; ` +
      `the view's work per step median ${ms(med((x) => x.scrollWorkMedianMs), 1)}, p95 ${ms(workP95, 1)}  ` +
      `${verdict(smooth)} (frame p95 <= ${LOGVIEW_MAX_SCROLL_P95_MS} ms, work p95 < ${LOGVIEW_FRAME_MS.toFixed(1)} ms, no rows missing)`,
  );
  console.log(`  jump to the end: line ${LOG_LINES.toLocaleString('en-US')} drawn after ${ms(med((x) => x.jumpToEndMs))}`);
}

async function cli(): Promise<void> {
  const s = await cliStartup(15);
  console.log(`cli start-up: whole processes from spawn to exit, median of ${s.runs} interleaved runs after a warm-up (the CLI from out/cli, Node's compile cache warm)`);
  const floor = s.figures[0]?.medianMs ?? NaN;
  for (const f of s.figures) {
    const ratio = f.medianMs / floor;
    const judged = f === s.figures[0] ? '' : `  ${ratio.toFixed(2)}x node -e 0  ${verdict(ratio <= CLI_MAX_STARTUP_RATIO)} (<= ${CLI_MAX_STARTUP_RATIO}x)`;
    console.log(`  ${f.what.padEnd(32)} ${ms(f.medianMs, 1).padStart(9)}${judged}  (min ${ms(Math.min(...f.runsMs), 1)}, max ${ms(Math.max(...f.runsMs), 1)})`);
  }
  console.log(`  a checkout's check for sources newer than out/cli, before each start: ${ms(s.checkMs, 2)}`);

  const r = await cliFanout(50, 7);
  const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `cli fan-out: the fanout bench's 3-step parallel flow (${FANOUT_COMMANDS.join('; ')}) on ${r.hosts} hosts through \`flowdeck run --json\` as a process ` +
      `against the bare ssh2 script as a process (both spawn to exit, bundled by esbuild, Node's compile cache on); median of ${r.rounds} alternating rounds`,
  );
  console.log(`  bare ssh2 process     ${ms(r.bareProcessMedianMs).padStart(8)}  (${list(r.bareProcessMs)})  of which its fan-out, after its modules loaded, ${ms(r.bareWorkMedianMs)}`);
  console.log(`  flowdeck run process  ${ms(r.cliMedianMs).padStart(8)}  (${list(r.cliMs)})`);
  console.log(`  ratio flowdeck run / bare process ${r.ratio.toFixed(2)}  ${verdict(r.ratio <= FANOUT_MAX_RATIO)} (<= ${FANOUT_MAX_RATIO})`);
  console.log(
    `  for reference, the bare round in this warm process ${ms(r.bareInProcessMedianMs)} (${list(r.bareInProcessMs)}): flowdeck run / that ${r.ratioInProcess.toFixed(2)} (not judged: it pays no process start)`,
  );
}

async function runners(): Promise<void> {
  const r = await runnersBench(50, 5);
  const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `runners: the fan-out flow (${FANOUT_COMMANDS.join('; ')}) on ${r.hosts} SSH hosts, run by this process directly and through ` +
      `flowdeck runner processes (BullMQ on a local redis-server, runner concurrency ${r.hosts}); median of ${r.rounds} alternating rounds`,
  );
  console.log(`  direct            ${ms(median(r.directMs)).padStart(8)}  (${list(r.directMs)})`);
  console.log(`  one runner        ${ms(median(r.oneRunnerMs)).padStart(8)}  (${list(r.oneRunnerMs)})`);
  console.log(`  bare ssh2         ${ms(median(r.bareMs)).padStart(8)}  (${list(r.bareMs)})  for reference`);
  console.log(`  ratio one runner / direct ${r.ratioOne.toFixed(2)}  ${verdict(r.ratioOne <= RUNNER_MAX_RATIO)} (<= ${RUNNER_MAX_RATIO})`);
  console.log(`  logins per run through the runner: ${r.loginsPerRunnerRun} (one connection per element per execution)`);
  console.log(`  direct            ${ms(median(r.directMs2)).padStart(8)}  (${list(r.directMs2)})`);
  console.log(`  two runners       ${ms(median(r.twoRunnersMs)).padStart(8)}  (${list(r.twoRunnersMs)})  step runs per runner: ${Object.entries(r.split).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  ratio two runners / direct ${r.ratioTwo.toFixed(2)}  (not judged: both runners share this machine's cores with the owner and the 50 sshds)`);
}

async function ansible(): Promise<void> {
  const r = await ansibleBench(50, 3);
  const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `ansible: the fan-out's three commands (${FANOUT_COMMANDS.join('; ')}) on ${r.hosts} SSH hosts, \`flowdeck run --json\` against ` +
      `\`ansible-playbook\` (${r.version}, forks ${r.hosts}, OpenSSH with ControlPersist, no facts), processes spawn to exit; median of ${r.rounds} alternating rounds`,
  );
  console.log(`  flowdeck run                      ${ms(r.flowdeckMedianMs).padStart(8)}  (${list(r.flowdeckMs)})`);
  console.log(`  ansible-playbook, raw             ${ms(r.ansibleRawMedianMs).padStart(8)}  (${list(r.ansibleRawMs)})  Ansible's fastest path: no Python on the host`);
  console.log(`  ansible-playbook, command         ${ms(r.ansibleCommandMedianMs).padStart(8)}  (${list(r.ansibleCommandMs)})  the usual module, pipelining on`);
  const share = r.flowdeckMedianMs / r.ansibleRawMedianMs;
  console.log(
    `  flowdeck run / ansible raw ${share.toFixed(2)} (${(1 / share).toFixed(1)}x faster)  ${verdict(share <= ANSIBLE_MAX_SHARE)} (<= ${ANSIBLE_MAX_SHARE}); ` +
      `/ ansible command ${(r.flowdeckMedianMs / r.ansibleCommandMedianMs).toFixed(2)} (${(r.ansibleCommandMedianMs / r.flowdeckMedianMs).toFixed(1)}x faster)`,
  );
}

const RUN: Record<BenchName, () => Promise<void>> = { engine, sandbox, fanout, warm, logs, logview, cli, runners, ansible };

/** `npm run bench [engine|fanout|warm|logs|logview|cli...]`: speed lives here, never in timed tests. */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of BENCHES) {
    if (only.length === 0 || only.includes(name)) await RUN[name]();
  }
}

await main();
