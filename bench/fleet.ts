// Shared setup for the SSH benches: an sshd fleet on loopback, the engine on a temp
// SQLite file wired to it (the bare ssh2 baseline they compare with is in bare-ssh.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime, type EngineRuntime } from '../src-main/engine/runtime';
import { saveCredential } from '../src-main/store/credential-queries';
import { checkCredential } from '../src-main/secrets/credential-check';
import { saveFlow } from '../src-main/store/flow-queries';
import { saveInventory } from '../src-main/store/inventory-queries';
import type { FlowDocument, NormalizedStep } from '../src-shared/domain/flow';
import { elementSchema, type ElementInput } from '../src-shared/domain/inventory';
import { startFleet, type Fleet } from '../test/support/sshd';

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
    saveCredential(rt.db, rt.cipher, checkCredential({
      id: CREDENTIAL,
      name: 'fleet key',
      kind: 'key',
      secret: { privateKey: readFileSync(fleet.keys.ed25519, 'utf8') },
    }));
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
    reorderEachBatch: false,
    ...flow,
  };
  saveFlow(rt.db, doc, '');
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
