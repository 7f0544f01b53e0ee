import { spawn } from 'node:child_process';
import { startRun } from '../src-main/engine/executor';
import type { Fleet } from '../test/support/sshd';
import { bareClose, bareConnect, bareExec } from './bare-ssh';
import { MB, median, openFleetRuntime, peakRss, sampleRss, saveBenchFlow, watchStepRuns, withFleet } from './fleet';

export const LOG_BYTES = 200_000_000;
/** A 99-character line (100 bytes with its newline), repeated: 2,000,000 lines in all. */
const LINE = 'INFO 2026-01-01T12:00:00Z flowdeck-bench worker[42]: processed request id=0123456789 status=ok'.padEnd(99, '.');
const FLOOD_COMMAND = `yes '${LINE}' | head -c ${LOG_BYTES}`;
const LOCAL_ELEMENT = 'local-box';

export interface LogThroughput {
  transport: 'ssh' | 'local';
  rounds: number;
  /** Reading the same stream over the same transport and discarding it, MB/s (median). */
  rawMBps: number;
  /** The step in a real run, from its start to its end with every chunk committed, MB/s (median). */
  persistedMBps: number;
  /** Peak RSS during the persisted runs minus the RSS just before, worst round (bytes). */
  rssGrowth: number;
  /**
   * Peak RSS in the second half of the step minus the peak in its first half, worst round (bytes):
   * memory that grows with the log shows here; flat memory gives about 0.
   */
  rssSecondHalf: number;
  /** sum(length(data)) of the step's log chunks, checked equal to LOG_BYTES every round. */
  storedBytes: number;
}

function rawLocal(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', FLOOD_COMMAND], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`logs: local flood exited with ${String(code)}`))));
  });
}

async function rawSsh(fleet: Fleet): Promise<number> {
  const host = fleet.hosts[0];
  if (!host) throw new Error('logs: the fleet has no host');
  const client = await bareConnect(fleet, host);
  try {
    await bareExec(client, 'true'); // as in the flow: the stream runs on an already open connection
    const t0 = performance.now();
    const { bytes } = await bareExec(client, FLOOD_COMMAND);
    const ms = performance.now() - t0;
    if (bytes !== LOG_BYTES) throw new Error(`logs: bare ssh2 read ${bytes} bytes, expected ${LOG_BYTES}`);
    return ms;
  } finally {
    await bareClose([client]);
  }
}

async function rawRound(fleet: Fleet, transport: 'ssh' | 'local'): Promise<number> {
  if (transport === 'ssh') return rawSsh(fleet);
  const t0 = performance.now();
  const bytes = await rawLocal();
  const ms = performance.now() - t0;
  if (bytes !== LOG_BYTES) throw new Error(`logs: the local flood gave ${bytes} bytes, expected ${LOG_BYTES}`);
  return ms;
}

/** One real run on a fresh database: a warm-up step (opens the connection), then the flood step. */
async function persistedRound(fleet: Fleet, transport: 'ssh' | 'local'): Promise<{ ms: number; rssGrowth: number; rssSecondHalf: number; stored: number }> {
  const b = await openFleetRuntime(fleet, 1, [{ id: LOCAL_ELEMENT, name: 'local', host: 'localhost', transport: 'local' }]);
  try {
    saveBenchFlow(b.rt, {
      id: 'logs',
      mode: 'serial',
      targets: { elements: [transport === 'ssh' ? 'h001' : LOCAL_ELEMENT] },
      steps: [
        { id: 'warm', run: 'true' },
        { id: 'flood', run: FLOOD_COMMAND },
      ],
    });
    const watch = watchStepRuns(b.rt);
    const rssBefore = process.memoryUsage().rss;
    const rss = sampleRss(100);
    let status: string;
    try {
      status = await (await startRun(b.rt.deps, { flow: 'logs' })).done;
    } finally {
      watch.stop();
    }
    const samples = rss.stop();
    if (status !== 'succeeded') throw new Error(`logs: the ${transport} run ended ${status}`);
    const entry = [...watch.runs.entries()].find(([, r]) => r.step === 'flood');
    const startMs = entry?.[1].startMs;
    const endMs = entry?.[1].endMs;
    if (!entry || startMs === undefined || endMs === undefined) throw new Error('logs: no finished flood step run');
    const stepRunId = entry[0];
    // The engine reports the end after its last flush: every chunk is committed by then.
    const rows = b.rt.db
      .prepare('SELECT stream, sum(length(data)) AS n FROM log_chunks WHERE step_run_id = ? GROUP BY stream')
      .all(stepRunId) as Array<{ stream: string; n: number }>;
    const stored = rows.find((r) => r.stream === 'stdout')?.n ?? 0;
    const others = rows.filter((r) => r.stream !== 'stdout' && r.n > 0);
    if (stored !== LOG_BYTES || others.length > 0) {
      throw new Error(`logs: the ${transport} step stored ${stored} stdout characters (expected ${LOG_BYTES})${others.map((o) => ` and ${o.n} on ${o.stream}`).join('')}`);
    }
    const mid = (startMs + endMs) / 2;
    return {
      ms: endMs - startMs,
      rssGrowth: peakRss(samples) - rssBefore,
      rssSecondHalf: peakRss(samples, mid, endMs) - peakRss(samples, startMs, mid),
      stored,
    };
  } finally {
    b.close();
  }
}

/** Logs: 200 MB from one step persisted, against reading the same stream raw, alternating. */
export async function logThroughput(transports: Array<'ssh' | 'local'> = ['ssh', 'local'], rounds = 2): Promise<LogThroughput[]> {
  return withFleet(1, async (fleet) => {
    const out: LogThroughput[] = [];
    for (const transport of transports) {
      const raw: number[] = [];
      const persisted: number[] = [];
      let rssGrowth = 0;
      let rssSecondHalf = -Infinity;
      let storedBytes = 0;
      for (let r = 0; r < rounds; r++) {
        raw.push(await rawRound(fleet, transport));
        const p = await persistedRound(fleet, transport);
        persisted.push(p.ms);
        rssGrowth = Math.max(rssGrowth, p.rssGrowth);
        rssSecondHalf = Math.max(rssSecondHalf, p.rssSecondHalf);
        storedBytes = p.stored;
      }
      out.push({
        transport,
        rounds,
        rawMBps: LOG_BYTES / MB / (median(raw) / 1000),
        persistedMBps: LOG_BYTES / MB / (median(persisted) / 1000),
        rssGrowth,
        rssSecondHalf,
        storedBytes,
      });
    }
    return out;
  });
}
