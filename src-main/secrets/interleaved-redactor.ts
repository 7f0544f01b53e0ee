import { mergeRanges, OccurrenceScanner, replaceRanges, SecretSet, type Range } from './redact';

/** Redacted text to write to one stream. */
export interface RedactedPiece<S extends string> {
  stream: S;
  text: string;
}

/** Where a piece of one stream sits in the interleaved text. */
interface Segment<S extends string> {
  stream: S;
  /** Offset of its first character in the interleaved text. */
  joint: number;
  /** Offset of its first character in its own stream. */
  offset: number;
  length: number;
}

class StreamState {
  readonly scanner: OccurrenceScanner;
  /** Received and not yet emitted, from stream offset `emitted`. */
  pending = '';
  emitted = 0;
  received = 0;
  /** Up to where the stream's own scanner has settled. */
  settled = 0;
  /** Characters to hide (stream offsets, merged), all at or after `emitted`. */
  hidden: Range[] = [];

  constructor(set: SecretSet) {
    this.scanner = new OccurrenceScanner(set);
  }

  hide(r: Range): void {
    this.hidden = mergeRanges([...this.hidden, r]);
  }
}

/**
 * Redacts several streams of one source that a reader sees both apart and interleaved: a
 * command's stdout and stderr, shown one after the other in arrival order by `flowdeck logs` and
 * the log view. A character is hidden when it belongs to a secret in its own stream (a secret
 * written in several pieces to one stream, whatever the other streams wrote in between) or in
 * the interleaved text (a secret half written to stdout and half to stderr, which a per-stream
 * redactor alone would let through as two harmless-looking halves).
 *
 * Each stream is split-safe across its chunks: text that could still become part of a secret is
 * held back until the next chunk (of any stream) rules it out or `end` is called. Pieces written
 * in the order opposite to their arrival (the second half of a secret reaching the reader before
 * the first) are not joined: no view shows them side by side.
 */
export class InterleavedRedactor<S extends string> {
  private readonly set: SecretSet;
  private streams = new Map<S, StreamState>();
  private joint: OccurrenceScanner;
  private jointReceived = 0;
  private jointSettled = 0;
  /** The pieces not yet fully emitted, in arrival order. */
  private segments: Array<Segment<S>> = [];

  constructor(secrets: Iterable<string>) {
    this.set = new SecretSet(secrets);
    this.joint = new OccurrenceScanner(this.set);
  }

  get active(): boolean {
    return !this.set.empty;
  }

  /** Adds a chunk of one stream; returns what is safe to emit now, on any stream, in arrival order. */
  write(stream: S, text: string): Array<RedactedPiece<S>> {
    if (text === '') return [];
    if (this.set.empty) return [{ stream, text }];
    let st = this.streams.get(stream);
    if (!st) this.streams.set(stream, (st = new StreamState(this.set)));
    this.segments.push({ stream, joint: this.jointReceived, offset: st.received, length: text.length });
    st.pending += text;
    st.received += text.length;
    this.jointReceived += text.length;
    const own = st.scanner.push(text);
    st.settled = own.settled;
    for (const r of own.ranges) st.hide(r);
    this.hideJoint(this.joint.push(text));
    return this.release();
  }

  /** Every stream has ended: the rest, redacted. The redactor is then ready for new streams. */
  end(): Array<RedactedPiece<S>> {
    if (this.set.empty) return [];
    for (const st of this.streams.values()) {
      const own = st.scanner.end();
      st.settled = own.settled;
      for (const r of own.ranges) st.hide(r);
    }
    this.hideJoint(this.joint.end());
    const out = this.release();
    this.streams = new Map();
    this.joint = new OccurrenceScanner(this.set);
    this.jointReceived = 0;
    this.jointSettled = 0;
    this.segments = [];
    return out;
  }

  /** Occurrences in the interleaved text hide, in each stream, the run of that stream's characters they cover. */
  private hideJoint({ ranges, settled }: { ranges: Range[]; settled: number }): void {
    this.jointSettled = settled;
    for (const [a, b] of ranges) {
      const runs = new Map<S, Range>();
      for (const seg of this.segments) {
        const from = Math.max(a, seg.joint);
        const to = Math.min(b, seg.joint + seg.length);
        if (from >= to) continue;
        const start = seg.offset + (from - seg.joint);
        const end = seg.offset + (to - seg.joint);
        const run = runs.get(seg.stream);
        // A stream's characters inside one interleaved occurrence are consecutive in that stream.
        if (run) run[1] = end;
        else runs.set(seg.stream, [start, end]);
      }
      for (const [stream, run] of runs) this.streams.get(stream)?.hide(run);
    }
  }

  /** The stream offset of `stream`'s first character at or after interleaved offset `joint`. */
  private streamOffsetAt(stream: S, joint: number, received: number): number {
    for (const seg of this.segments) {
      if (seg.stream !== stream || seg.joint + seg.length <= joint) continue;
      return seg.offset + Math.max(0, joint - seg.joint);
    }
    return received;
  }

  private jointOffsetOf(stream: S, offset: number): number {
    for (const seg of this.segments) {
      if (seg.stream === stream && offset >= seg.offset && offset < seg.offset + seg.length) return seg.joint + (offset - seg.offset);
    }
    return this.jointReceived;
  }

  /** Emits, per stream, what both its own scanner and the interleaved one have settled. */
  private release(): Array<RedactedPiece<S>> {
    const out: Array<RedactedPiece<S> & { at: number }> = [];
    for (const [stream, st] of this.streams) {
      let limit = Math.min(st.settled, this.streamOffsetAt(stream, this.jointSettled, st.received));
      // A hidden run is emitted whole, as one ***, once all of it is settled.
      for (const [a, b] of st.hidden) if (a < limit && b > limit) limit = a;
      if (limit <= st.emitted) continue;
      const done = st.hidden.filter(([, b]) => b <= limit);
      const text = replaceRanges(
        st.pending.slice(0, limit - st.emitted),
        done.map(([a, b]) => [a - st.emitted, b - st.emitted] as const),
      );
      out.push({ stream, text, at: this.jointOffsetOf(stream, st.emitted) });
      st.hidden = st.hidden.filter(([, b]) => b > limit);
      st.pending = st.pending.slice(limit - st.emitted);
      st.emitted = limit;
    }
    this.segments = this.segments.filter((seg) => seg.offset + seg.length > (this.streams.get(seg.stream)?.emitted ?? 0));
    return out.sort((x, y) => x.at - y.at).map(({ stream, text }) => ({ stream, text }));
  }
}
