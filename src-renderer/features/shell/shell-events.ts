import type { Events } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';

type Exit = Events['shell/exit'];

/** What a tab's terminal does with its session's events. */
export interface ShellSink {
  output(data: string): void;
  exited(exit: Exit): void;
}

/** Output of a session whose tab does not know its id yet (its `shell/open` answer is on the way). */
interface Early {
  chunks: string[];
  chars: number;
  exit?: Exit;
}

/** At most this much output is held for a session nobody has claimed yet. */
const MAX_EARLY_CHARS = 1024 * 1024;

const sinks = new Map<string, ShellSink>();
const early = new Map<string, Early>();
/** Sessions whose tab went away: what still comes for them until their exit is dropped. */
const abandoned = new Set<string>();
let listening = false;

/**
 * Main sends a shell's output to the window that opened it as soon as the shell prints, which can
 * be before the answer to `shell/open` arrives: such output waits here until the tab claims it.
 */
function listen(): void {
  if (listening) return;
  listening = true;
  bridge.on('shell/output', ({ sessionId, data }) => {
    const sink = sinks.get(sessionId);
    if (sink) return sink.output(data);
    if (abandoned.has(sessionId)) return;
    let held = early.get(sessionId);
    if (!held) early.set(sessionId, (held = { chunks: [], chars: 0 }));
    if (held.chars + data.length > MAX_EARLY_CHARS) return;
    held.chunks.push(data);
    held.chars += data.length;
  });
  bridge.on('shell/exit', (exit) => {
    abandoned.delete(exit.sessionId);
    const sink = sinks.get(exit.sessionId);
    if (sink) {
      sinks.delete(exit.sessionId);
      return sink.exited(exit);
    }
    const held = early.get(exit.sessionId);
    if (held) held.exit = exit;
  });
}

/** Events go to `sink` from now on, after whatever came for the session before. */
export function claimSession(sessionId: string, sink: ShellSink): void {
  listen();
  sinks.set(sessionId, sink);
  const held = early.get(sessionId);
  early.delete(sessionId);
  if (!held) return;
  for (const chunk of held.chunks) sink.output(chunk);
  if (held.exit) {
    sinks.delete(sessionId);
    sink.exited(held.exit);
  }
}

/** The tab of a live session is gone: what still comes for it is dropped until its exit (main is asked to close it). */
export function releaseSession(sessionId: string): void {
  sinks.delete(sessionId);
  early.delete(sessionId);
  abandoned.add(sessionId);
}

/** Starts listening before the first `shell/open` goes out, so no early output is missed. */
export function listenForShells(): void {
  listen();
}
