import type { Db } from '../store/db';
import { appendLogChunks, type PendingChunk } from '../store/log-queries';
import type { LogStream } from '../../src-shared/domain/execution';
import type { EngineEvents } from './events';
import { Redactor } from '../secrets/redact';
import { InterleavedRedactor } from '../secrets/interleaved-redactor';
import { FlowdeckError } from '../../src-shared/errors';

/** Log chunks are committed at least every 250 ms, so a crash loses little. */
const FLUSH_INTERVAL_MS = 200;
/** Past this many buffered characters a flush happens at once, so memory stays flat under a flood. */
const FLUSH_CHARS = 1 << 20;
/** Chunks are split so one row never holds more than this. */
const MAX_CHUNK_CHARS = 64 * 1024;

/** Buffers the output of every running step of one execution and commits it in small transactions. */
export class LogSink {
  private pending: PendingChunk[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * One per step run: each stream is redacted on its own (a secret written in pieces to stdout)
   * and as the reader sees the streams interleaved (half a secret on stdout, half on stderr).
   */
  private readonly redactors = new Map<number, InterleavedRedactor<LogStream>>();
  /** The first failure to store a batch (the disk full) since a step run last ended; the next one to end reports it. */
  private storeFailure: Error | undefined;

  constructor(
    private readonly db: Db,
    private readonly executionId: number,
    private readonly events: EngineEvents,
    private readonly secrets: readonly string[] = [],
    /** Told once when output could not be stored, so the execution stops instead of running on unrecorded. */
    private readonly onStoreFailure: (error: Error) => void = () => {},
  ) {}

  /** For one-shot strings (error messages) that go to the database outside the log. */
  redact(text: string): string {
    return this.secrets.length ? new Redactor(this.secrets).redactAll(text) : text;
  }

  /** `text` is already decoded (see run-action) so a split UTF-8 character never reaches here. */
  write(stepRunId: number, stream: LogStream, raw: string): void {
    if (this.secrets.length === 0) return this.append(stepRunId, stream, raw);
    let r = this.redactors.get(stepRunId);
    if (!r) this.redactors.set(stepRunId, (r = new InterleavedRedactor(this.secrets)));
    for (const piece of r.write(stream, raw)) this.append(stepRunId, piece.stream, piece.text);
  }

  /**
   * Writes what the redactor still held back (the start of what might have been a secret) and
   * commits. Throws when output could not be stored since the last step run ended: a run whose
   * log has holes must not pass for a complete record, so the execution fails with the reason.
   */
  endStepRun(stepRunId: number): void {
    const r = this.redactors.get(stepRunId);
    if (r) {
      this.redactors.delete(stepRunId);
      for (const piece of r.end()) this.append(stepRunId, piece.stream, piece.text);
    }
    this.flush();
    const failure = this.storeFailure;
    if (failure) {
      this.storeFailure = undefined;
      throw new FlowdeckError('internal', `output could not be stored, the log has gaps: ${failure.message}`);
    }
  }

  private append(stepRunId: number, stream: LogStream, text: string): void {
    if (text.length === 0) return;
    const ts = Date.now();
    for (let i = 0; i < text.length; i += MAX_CHUNK_CHARS) {
      const part = text.length <= MAX_CHUNK_CHARS ? text : text.slice(i, i + MAX_CHUNK_CHARS);
      this.pending.push({ stepRunId, stream, ts, data: part });
      this.pendingChars += part.length;
      this.events.emit('log', { executionId: this.executionId, stepRunId, stream, ts, data: part });
    }
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    try {
      appendLogChunks(this.db, batch);
    } catch (err) {
      // This runs from a timer and from output callbacks, where a throw would take the whole
      // process down with every other run. The batch is dropped (kept, it would grow without
      // bound while the disk stays full) and the next step run to end reports the failure.
      if (!this.storeFailure) {
        this.storeFailure = err instanceof Error ? err : new Error(String(err));
        this.onStoreFailure(this.storeFailure);
      }
    }
  }
}
