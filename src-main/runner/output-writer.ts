import type { Redis } from 'ioredis';
import { InterleavedRedactor } from '../secrets/interleaved-redactor';
import { encodeEntry, type FailCause, type StreamEntry } from '../transport/runner/protocol';
import { LEFTOVER_TTL_MS, outputKey } from '../transport/runner/keys';

/** One stream entry holds at most this much output; more waits for the next entry. */
const ENTRY_BYTES = 64 * 1024;

type Stream = 'stdout' | 'stderr';

/**
 * Writes one step's output stream: `start`, the output in order, then how it ended. Output is
 * gathered for the current turn of the event loop and written as few entries as possible, so a
 * flood of small writes costs few XADDs. Every write goes over the one command connection, in
 * call order, which is what keeps the entries in order.
 *
 * The runner's own secrets (its credentials' passwords, passphrases and keys, its master key)
 * are redacted here, before anything leaves the machine: the owner cannot redact what it never
 * knew. Everything else is redacted by the owner as for its own commands.
 */
export class OutputWriter {
  private readonly key: string;
  private pending: Array<{ stream: Stream; data: Buffer }> = [];
  private pendingBytes = 0;
  private scheduled = false;
  private last: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private readonly redactor: InterleavedRedactor<Stream> | undefined;
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private ended = false;

  constructor(
    private readonly redis: Redis,
    jobId: string,
    secrets: readonly string[],
  ) {
    this.key = outputKey(jobId);
    this.redactor = secrets.length > 0 ? new InterleavedRedactor<Stream>(secrets) : undefined;
  }

  start(runner: string, host: string): void {
    this.write({ kind: 'start', runner, host });
    // A stream the owner never deletes (it died) expires instead of staying in Redis's memory.
    this.last = this.redis.pexpire(this.key, LEFTOVER_TTL_MS).catch((e: Error) => (this.failure ??= e));
  }

  output(stream: Stream, data: Buffer): void {
    if (this.ended) return;
    if (!this.redactor) return this.queue(stream, data);
    const text = this.decoders[stream].decode(data, { stream: true });
    for (const piece of this.redactor.write(stream, text)) this.queue(piece.stream, Buffer.from(piece.text, 'utf8'));
  }

  exit(exitCode: number | null, signal: string | null): Promise<void> {
    return this.end({ kind: 'exit', exitCode, signal });
  }

  fail(cause: FailCause, message: string): Promise<void> {
    return this.end({ kind: 'fail', cause, message });
  }

  back(reason: string): Promise<void> {
    return this.end({ kind: 'back', reason });
  }

  private async end(entry: StreamEntry): Promise<void> {
    if (this.ended) return;
    if (this.redactor) {
      for (const s of ['stdout', 'stderr'] as const) {
        const tail = this.decoders[s].decode();
        for (const piece of this.redactor.write(s, tail)) this.queue(piece.stream, Buffer.from(piece.text, 'utf8'));
      }
      for (const piece of this.redactor.end()) this.queue(piece.stream, Buffer.from(piece.text, 'utf8'));
    }
    this.ended = true;
    this.flush();
    this.write(entry);
    await this.last;
    if (this.failure) throw this.failure;
  }

  private queue(stream: Stream, data: Buffer): void {
    if (data.length === 0) return;
    this.pending.push({ stream, data });
    this.pendingBytes += data.length;
    if (this.pendingBytes >= ENTRY_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let i = 0;
    while (i < parts.length) {
      const stream = (parts[i] as { stream: Stream }).stream;
      const run: Buffer[] = [];
      let bytes = 0;
      // Consecutive writes to one stream become one entry, up to ENTRY_BYTES.
      while (i < parts.length && (parts[i] as { stream: Stream }).stream === stream && (run.length === 0 || bytes + (parts[i] as { data: Buffer }).data.length <= ENTRY_BYTES)) {
        const d = (parts[i] as { data: Buffer }).data;
        run.push(d);
        bytes += d.length;
        i++;
      }
      this.write({ kind: 'output', stream, data: run.length === 1 ? (run[0] as Buffer) : Buffer.concat(run, bytes) });
    }
  }

  private write(entry: StreamEntry): void {
    this.last = this.redis.xadd(this.key, '*', ...encodeEntry(entry)).catch((e: Error) => (this.failure ??= e));
  }
}
