// Shared setup for the SSH benches (SPEC 10): an sshd fleet on loopback, the engine on a temp
// SQLite file wired to it, and a bare ssh2 client doing the same work as the baseline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { openRuntime, type EngineRuntime } from '../src-main/engine/runtime';
import { saveCredential } from '../src-main/store/credential-queries';
import { saveFlow } from '../src-main/store/flow-queries';
import { saveInventory } from '../src-main/store/inventory-queries';
import type { FlowDocument, NormalizedStep } from '../src-shared/domain/flow';
import { elementSchema, type ElementInput } from '../src-shared/domain/inventory';
import { startFleet, type Fleet, type FleetHost } from '../test/support/sshd';

export const BENCH_GROUP = 'bench';
const CREDENTIAL = 'fleet-key';

/** Starts a fleet, runs `fn`, and stops the fleet whatever happens. */
export async function withFleet<T>(hosts: number, fn: (fleet: Fleet) => Promise<T>): Promise<T> {
  const fleet = await startFleet({ hosts });
  try {
    return await fn(fleet);
  } finally {
    await fleet.stop();
  }
}

/** The engine on a SQLite file in a temp folder; `close` removes the folder. */
export interface BenchRuntime {
  rt: EngineRuntime;
  dir: string;
  close(): void;
}

/**
 * Opens a runtime whose inventory holds `fleet.hosts[0..count)` as SSH elements (group `bench`),
 * logging in with the fleet's ed25519 key stored as an encrypted credential, host keys trusted
 * through the fleet's known_hosts file: the set-up an operator would have.
 */
export async function openFleetRuntime(fleet: Fleet, count: number, extraElements: ElementInput[] = []): Promise<BenchRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-'));
  try {
    const rt = await openRuntime(join(dir, 'bench.db'), { knownHostsFile: fleet.knownHostsPath });
    saveCredential(rt.db, rt.cipher, {
      id: CREDENTIAL,
      name: 'fleet key',
      kind: 'key',
      secret: { privateKey: readFileSync(fleet.keys.ed25519, 'utf8') },
    });
    const ssh = fleet.hosts.slice(0, count).map((h, i) =>
      elementSchema.parse({
        id: `h${String(i + 1).padStart(3, '0')}`,
        name: `host ${i + 1}`,
        host: h.address,
        port: h.port,
        user: fleet.user,
        credential: CREDENTIAL,
        groups: [BENCH_GROUP],
      }),
    );
    saveInventory(rt.db, { profiles: [], groups: [], elements: [...ssh, ...extraElements.map((e) => elementSchema.parse(e))] });
    return {
      rt,
      dir,
      close() {
        rt.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Saves a flow with the defaults a YAML file would get. */
export function saveBenchFlow(rt: EngineRuntime, flow: Pick<FlowDocument, 'id' | 'mode' | 'targets'> & { steps: NormalizedStep[]; concurrency?: number }): void {
  const doc: FlowDocument = {
    name: flow.id,
    description: '',
    params: [],
    processing: '',
    concurrency: 20,
    delayBetweenBatches: 0,
    onFailure: 'stop',
    maxFailPercent: 100,
    failFast: false,
    allowEmpty: false,
    ...flow,
  };
  saveFlow(rt.db, doc, '');
}

// ---------------------------------------------------------------------------------------
// The bare ssh2 baseline

/** The fleet's host key blobs: the bare client checks the key too, as the product does. */
function fleetHostKeys(fleet: Fleet): Buffer[] {
  return fleet.hostKeys.map((k) => Buffer.from(k.publicKeyLine.split(' ')[1] ?? '', 'base64'));
}

/**
 * One ssh2 connection the way the product opens it, minus the product: our own TCP socket with
 * Nagle off, the key, the host key checked against the fleet's.
 */
export function bareConnect(fleet: Fleet, host: FleetHost): Promise<Client> {
  const privateKey = readFileSync(fleet.keys.ed25519);
  const trusted = fleetHostKeys(fleet);
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: host.address, port: host.port });
    sock.setNoDelay(true);
    sock.once('error', reject);
    const client = new Client();
    const config: ConnectConfig = {
      sock,
      username: fleet.user,
      privateKey,
      readyTimeout: 20_000,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => trusted.some((k) => k.equals(key)),
    };
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect(config);
  });
}

/** Ends the connections; resolves once every one has closed (or after 2 s: one that broke may never say so). */
export function bareClose(clients: Client[]): Promise<void> {
  const closing = clients.map(
    (c) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        c.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        c.end();
      }),
  );
  return Promise.all(closing).then(() => undefined);
}

/** Runs `command` on an open connection; stdout and stderr are counted and discarded. Rejects on a non-zero exit. */
export function bareExec(client: Client, command: string): Promise<{ bytes: number }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let bytes = 0;
      let code: number | null = null;
      ch.on('data', (d: Buffer) => (bytes += d.length));
      ch.stderr.on('data', (d: Buffer) => (bytes += d.length));
      ch.on('exit', (c: number | null) => (code = c));
      ch.on('close', () => (code === 0 ? resolve({ bytes }) : reject(new Error(`bare ssh2: "${command}" exited with ${String(code)}`))));
      ch.end();
    });
  });
}

// ---------------------------------------------------------------------------------------
// Measuring

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RssSample {
  /** performance.now() */
  at: number;
  rss: number;
}

/** Samples the process's RSS every `everyMs` until `stop`, which returns the samples (the last one taken then). */
export function sampleRss(everyMs = 100): { stop(): RssSample[] } {
  const samples: RssSample[] = [];
  const take = (): number => samples.push({ at: performance.now(), rss: process.memoryUsage().rss });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** The highest RSS sampled in [from, to] (performance.now() times), or 0 if none was. */
export function peakRss(samples: readonly RssSample[], from = -Infinity, to = Infinity): number {
  return samples.filter((s) => s.at >= from && s.at <= to).reduce((m, s) => Math.max(m, s.rss), 0);
}

export const MB = 1_000_000;

export function verdict(ok: boolean): string {
  return ok ? 'ok' : 'OVER';
}

export interface StepTiming {
  element: string;
  step: string;
  status: string;
  /** performance.now() when the engine reported the step run started / finished (logs committed). */
  startMs: number;
  endMs: number | undefined;
}

/** Step-run start and end times as the engine reports them, keyed by step run id. */
export function watchStepRuns(rt: EngineRuntime): { runs: Map<number, StepTiming>; stop(): void } {
  const runs = new Map<number, StepTiming>();
  const listener = (r: { id: number; element: string; step: string; status: string; finishedAt: number | null }): void => {
    const now = performance.now();
    const known = runs.get(r.id);
    if (!known) runs.set(r.id, { element: r.element, step: r.step, status: r.status, startMs: now, endMs: r.finishedAt === null ? undefined : now });
    else if (r.finishedAt !== null) Object.assign(known, { status: r.status, endMs: now });
  };
  rt.deps.events.on('stepRun', listener);
  return { runs, stop: () => rt.deps.events.off('stepRun', listener) };
}
