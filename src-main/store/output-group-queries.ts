import { createHash } from 'node:crypto';
import type { Db } from './db';
import { getFlow } from './flow-queries';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import { OUTPUT_SAMPLE_BYTES, type OutputGroup, type OutputGroups } from '../../src-shared/ipc/contract';

/** Output grouping: which elements printed the same thing in one step of one execution. */

export type OutputStreams = 'stdout' | 'stderr' | 'both';

/**
 * Chunks are read in pages of at most this many characters, the event loop let go in between:
 * hashing a fleet's 200 MB logs must neither hold them in memory nor freeze the window.
 */
const PAGE_CHARS = 1024 * 1024;
const PAGE_ROWS = 2000;

const STREAMS: Record<OutputStreams, readonly string[]> = {
  stdout: ['stdout'],
  stderr: ['stderr'],
  // Never `system`: the engine's own notes (retry delays, timeouts) are not the command's output.
  both: ['stdout', 'stderr'],
};

interface OutputDigest {
  /** sha256 (hex) of the output's UTF-8 bytes. */
  key: string;
  bytes: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The data of a step run's chunks of the chosen streams in log order, page by page (the page's
 * statement is done before the event loop is let go: better-sqlite3 cannot interleave a
 * half-read statement with other queries).
 */
async function* outputChunks(db: Db, stepRunId: number, streams: OutputStreams): AsyncGenerator<string> {
  const page = db.prepare(
    `SELECT id, data FROM log_chunks
     WHERE step_run_id = ? AND id > ? AND stream IN (SELECT value FROM json_each(?))
     ORDER BY id LIMIT ?`,
  );
  const wanted = JSON.stringify(STREAMS[streams]);
  let after = 0;
  for (;;) {
    const rows: string[] = [];
    let chars = 0;
    for (const row of page.iterate(stepRunId, after, wanted, PAGE_ROWS) as IterableIterator<{ id: number; data: string }>) {
      rows.push(row.data);
      after = row.id;
      chars += row.data.length;
      if (chars >= PAGE_CHARS) break;
    }
    yield* rows;
    if (rows.length < PAGE_ROWS && chars < PAGE_CHARS) return;
    await yieldToEventLoop();
  }
}

/** Collects the first `limit` bytes of an output, never splitting a UTF-8 character. */
class Sample {
  private readonly parts: string[] = [];
  private taken = 0;
  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.taken >= this.limit;
  }

  add(data: string, buf: Buffer): void {
    const room = this.limit - this.taken;
    if (room <= 0) return;
    if (buf.length <= room) {
      this.parts.push(data);
      this.taken += buf.length;
      return;
    }
    let cut = room;
    // A continuation byte (10xxxxxx) at the cut belongs to the character before it.
    while (cut > 0 && ((buf[cut] as number) & 0xc0) === 0x80) cut--;
    this.parts.push(buf.subarray(0, cut).toString('utf8'));
    this.taken = this.limit;
  }

  text(): string {
    return this.parts.join('');
  }
}

/**
 * The sha256 of one step run's output (the chosen streams, in log order) and its first
 * `sampleBytes`, streamed chunk by chunk. Chunk boundaries do not matter: the hash sees bytes.
 */
async function digestOutput(db: Db, stepRunId: number, streams: OutputStreams, sampleBytes = OUTPUT_SAMPLE_BYTES): Promise<OutputDigest & { sample: string }> {
  const hash = createHash('sha256');
  const sample = new Sample(sampleBytes);
  let bytes = 0;
  for await (const data of outputChunks(db, stepRunId, streams)) {
    const buf = Buffer.from(data, 'utf8');
    hash.update(buf);
    bytes += buf.length;
    sample.add(data, buf);
  }
  return { key: hash.digest('hex'), bytes, sample: sample.text() };
}

/** Only the first `sampleBytes` of an output: reads no further than it needs. */
async function sampleOutput(db: Db, stepRunId: number, streams: OutputStreams, sampleBytes = OUTPUT_SAMPLE_BYTES): Promise<string> {
  const sample = new Sample(sampleBytes);
  for await (const data of outputChunks(db, stepRunId, streams)) {
    sample.add(data, Buffer.from(data, 'utf8'));
    if (sample.full) break;
  }
  return sample.text();
}

interface LastRun {
  element: string;
  stepRunId: number;
  status: StepRunStatus;
}

/**
 * Digests of finished step runs, whose logs never change again: the panel asks again each time a
 * wave of elements finishes, and must not re-hash every earlier element's log each time. Small
 * entries (no sample), the oldest dropped past the limit.
 */
const finishedDigests = new WeakMap<Db, Map<string, OutputDigest>>();
const DIGEST_CACHE_MAX = 50_000;

async function digestOf(db: Db, run: LastRun, streams: OutputStreams): Promise<OutputDigest & { sample?: string }> {
  const finished = run.status !== 'pending' && run.status !== 'running';
  let cache = finishedDigests.get(db);
  if (!cache) finishedDigests.set(db, (cache = new Map()));
  const cacheKey = `${run.stepRunId}:${streams}`;
  const hit = finished ? cache.get(cacheKey) : undefined;
  if (hit) return hit;
  const d = await digestOutput(db, run.stepRunId, streams);
  if (finished) {
    cache.set(cacheKey, { key: d.key, bytes: d.bytes });
    if (cache.size > DIGEST_CACHE_MAX) cache.delete(cache.keys().next().value as string);
  }
  return d;
}

/** The last attempt (highest attempt, then newest) of `step` on each element, oldest element first. */
function lastAttempts(db: Db, executionId: number, step: string): LastRun[] {
  const rows = db
    .prepare('SELECT id, element_id AS element, attempt, status FROM step_runs WHERE execution_id = ? AND step_path = ? ORDER BY id')
    .all(executionId, step) as Array<{ id: number; element: string; attempt: number; status: StepRunStatus }>;
  const last = new Map<string, { id: number; attempt: number; status: StepRunStatus }>();
  for (const r of rows) {
    const had = last.get(r.element);
    if (!had || r.attempt >= had.attempt) last.set(r.element, r);
  }
  return [...last].map(([element, r]) => ({ element, stepRunId: r.id, status: r.status }));
}

export type OutputGroupsResult = { ok: true; value: OutputGroups } | { ok: false; reason: 'unknown-execution' | 'unknown-step' };

/** Whether `step` is a step id of the flow version the execution ran (a column before its first run). */
function isDeclared(db: Db, flow: string, version: number, step: string): boolean {
  return getFlow(db, flow, version)?.document.steps.some((s) => s.id === step) ?? false;
}

/** All samples of one answer together stay under this. */
const ANSWER_SAMPLE_BUDGET = 4 * 1024 * 1024;

/**
 * With many distinct outputs (1,000 elements that all differ) 64 KiB each would be a 64 MB
 * answer: the samples share one budget instead, never below 1 KiB each.
 */
export function capSamples(groups: OutputGroup[], budget = ANSWER_SAMPLE_BUDGET): void {
  const cap = Math.max(1024, Math.min(OUTPUT_SAMPLE_BYTES, Math.floor(budget / Math.max(1, groups.length))));
  if (cap >= OUTPUT_SAMPLE_BYTES) return;
  for (const g of groups) {
    g.sample = cutUtf8(g.sample, cap);
    g.truncated = g.bytes > cap;
  }
}

/** The longest prefix of `text` within `maxBytes` of UTF-8 that does not split a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Groups the elements of one execution by the output of the last attempt of `step`. A step
 * never run anywhere is unknown unless the flow declares it (then every element is missing).
 * A `skipped` last attempt counts as missing: the element printed nothing because it ran nothing.
 */
export async function groupStepOutput(db: Db, executionId: number, step: string, streams: OutputStreams): Promise<OutputGroupsResult> {
  const exec = db.prepare('SELECT flow_id AS flow, flow_version AS version, elements FROM executions WHERE id = ?').get(executionId) as
    | { flow: string; version: number; elements: string }
    | undefined;
  if (!exec) return { ok: false, reason: 'unknown-execution' };
  const runs = lastAttempts(db, executionId, step);
  if (runs.length === 0 && !isDeclared(db, exec.flow, exec.version, step)) return { ok: false, reason: 'unknown-step' };

  // The execution's order, then elements only a step run names (as the grid lists them).
  const order = JSON.parse(exec.elements) as string[];
  const known = new Set(order);
  for (const r of runs) {
    if (known.has(r.element)) continue;
    known.add(r.element);
    order.push(r.element);
  }
  const byElement = new Map(runs.filter((r) => r.status !== 'skipped').map((r) => [r.element, r]));

  const groups = new Map<string, OutputGroup>();
  const missing: string[] = [];
  for (const element of order) {
    const run = byElement.get(element);
    if (run === undefined) {
      missing.push(element);
      continue;
    }
    const d = await digestOf(db, run, streams);
    const group = groups.get(d.key);
    if (group) {
      group.elements.push(element);
      group.size++;
    } else {
      // Only the first element's sample is kept: memory grows with distinct outputs, not with elements.
      const sample = d.sample ?? (await sampleOutput(db, run.stepRunId, streams));
      groups.set(d.key, { key: d.key, elements: [element], size: 1, bytes: d.bytes, sample, truncated: d.bytes > OUTPUT_SAMPLE_BYTES });
    }
  }
  // Map order is first-seen order, and the sort is stable: equal sizes keep their elements' order.
  const sorted = [...groups.values()].sort((a, b) => b.size - a.size);
  capSamples(sorted);
  return { ok: true, value: { step, groups: sorted, missing } };
}
