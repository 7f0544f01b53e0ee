import { stripAnsi } from './ansi';
import type { LineBuffer } from './line-buffer';

/**
 * Finds the lines of a log holding a text (case-insensitive, colours ignored). It scans in
 * slices so a million-line log never freezes the page, and picks up where it stopped when
 * lines are appended. The open last line is checked on every scan, never kept as scanned.
 */
export class LogSearch {
  readonly query: string;
  private readonly lower: string;
  private readonly buffer: LineBuffer;
  /** Line numbers with a match, ascending (complete lines only). */
  private readonly found: number[] = [];
  private scanned = 0;
  private openMatch = false;
  static readonly MAX_MATCHES = 100_000;

  constructor(buffer: LineBuffer, query: string) {
    this.buffer = buffer;
    this.query = query;
    this.lower = query.toLowerCase();
  }

  /** Scans at most `budget` more lines; true when it has caught up with the buffer. */
  scan(budget = 200_000): boolean {
    if (this.lower === '') return true;
    const end = Math.min(this.buffer.complete, this.scanned + budget);
    for (let i = this.scanned; i < end && this.found.length < LogSearch.MAX_MATCHES; i++) {
      if (this.test(this.buffer.line(i))) this.found.push(i);
    }
    this.scanned = end;
    const open = this.buffer.length > this.buffer.complete;
    this.openMatch = open && this.test(this.buffer.line(this.buffer.complete));
    return this.scanned >= this.buffer.complete;
  }

  private test(line: string): boolean {
    return stripAnsi(line).toLowerCase().includes(this.lower);
  }

  get caughtUp(): boolean {
    return this.scanned >= this.buffer.complete;
  }

  get count(): number {
    return this.found.length + (this.openMatch ? 1 : 0);
  }

  /** The n-th matching line. */
  at(n: number): number | undefined {
    if (n < this.found.length) return this.found[n];
    return this.openMatch && n === this.found.length ? this.buffer.complete : undefined;
  }

  /** Index (into the matches) of the first match at or after line `line`, wrapping around. */
  indexFrom(line: number): number {
    let lo = 0;
    let hi = this.found.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.found[mid] as number) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.count ? lo : 0;
  }
}

/** Splits plain text positions where `query` occurs (case-insensitive): [start, end) pairs. */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  if (query === '') return [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  const out: Array<[number, number]> = [];
  for (let i = lower.indexOf(q); i !== -1; i = lower.indexOf(q, i + q.length)) out.push([i, i + q.length]);
  return out;
}
