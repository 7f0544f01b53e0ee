import type { LogStream } from '../../../../src-shared/domain/execution';
import { endState, isPlain, PLAIN, type SgrState } from './ansi';

const STREAM_CODES: Record<LogStream, number> = { stdout: 0, stderr: 1, system: 2 };
const STREAMS: LogStream[] = ['stdout', 'stderr', 'system'];

/**
 * A log as lines, built incrementally: each appended chunk is split on its own newlines and
 * its first piece joins the open (unterminated) last line, so a million-line log costs one
 * pass over its text in total, never a re-split per append. Alongside each line it keeps the
 * stream the line started on and, sparsely, the colour state a line starts in (a colour set on
 * one line and reset lines later still colours the lines between, as on a terminal).
 */
export class LineBuffer {
  private readonly lines: string[] = [];
  private readonly streams: number[] = [];
  /** When each line's first byte arrived (the chunk's timestamp, ms). */
  private readonly times: number[] = [];
  /** Start state of lines that do not start plain. */
  private readonly startStates = new Map<number, SgrState>();
  private open = '';
  private openStream = 0;
  private openTime = 0;
  private openStarted = false;
  private state: SgrState = PLAIN;
  private chars = 0;

  /** Lines, counting an unterminated last line. */
  get length(): number {
    return this.lines.length + (this.openStarted ? 1 : 0);
  }

  /** Lines ended by a newline (the open last line may still grow). */
  get complete(): number {
    return this.lines.length;
  }

  /** Characters appended so far. */
  get size(): number {
    return this.chars;
  }

  append(data: string, stream: LogStream, ts = 0): void {
    if (data === '') return;
    this.chars += data.length;
    const code = STREAM_CODES[stream] ?? 0;
    if (!this.openStarted) {
      this.openStarted = true;
      this.openStream = code;
      this.openTime = ts;
    }
    let nl = data.indexOf('\n');
    if (nl === -1) {
      this.open += data;
      return;
    }
    this.push(this.open + data.slice(0, nl), this.openStream, this.openTime);
    let start = nl + 1;
    while ((nl = data.indexOf('\n', start)) !== -1) {
      this.push(data.slice(start, nl), code, ts);
      start = nl + 1;
    }
    this.open = data.slice(start);
    this.openStarted = this.open !== '';
    this.openStream = code;
    this.openTime = ts;
  }

  private push(raw: string, stream: number, ts: number): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const index = this.lines.length;
    if (!isPlain(this.state)) this.startStates.set(index, this.state);
    this.state = endState(line, this.state);
    this.lines.push(line);
    this.streams.push(stream);
    this.times.push(ts);
  }

  line(i: number): string {
    if (i < this.lines.length) return this.lines[i] ?? '';
    return i === this.lines.length && this.openStarted ? this.open : '';
  }

  streamOf(i: number): LogStream {
    const code = i < this.lines.length ? this.streams[i] : this.openStream;
    return STREAMS[code ?? 0] ?? 'stdout';
  }

  timeOf(i: number): number {
    return (i < this.lines.length ? this.times[i] : this.openTime) ?? 0;
  }

  /** The colour state line `i` starts in. */
  startState(i: number): SgrState {
    if (i === this.lines.length) return this.state;
    return this.startStates.get(i) ?? PLAIN;
  }

  /** The whole text, as parts for a Blob (no giant string is built). */
  blobParts(): string[] {
    const parts: string[] = [];
    const step = 10_000;
    for (let i = 0; i < this.lines.length; i += step) parts.push(this.lines.slice(i, i + step).join('\n') + '\n');
    if (this.openStarted) parts.push(this.open);
    return parts;
  }
}
