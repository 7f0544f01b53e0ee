import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { Connection, ConnectOptions, ExecRequest, ExecResult, OutputStream, Transport } from '../../src-main/transport/types';

/** How the test ends a held command. */
export interface Ending {
  exitCode?: number | null;
  signal?: string | null;
  stdout?: string;
  stderr?: string;
}

/** One command the engine started and the test holds: it runs until the test finishes it or the engine kills it. */
export interface HeldCommand {
  /** The command text: a flow written for this transport names each step by its command (`run: A`). */
  readonly step: string;
  readonly element: string;
  /** `STEP@ELEMENT`, the notation the order assertions use. */
  readonly key: string;
  readonly stdin: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  /** Aborted when the engine kills the command (cancel, failFast, a timeout). */
  readonly signal: AbortSignal;
  /** Output the command prints while it keeps running. */
  write(stream: OutputStream, text: string): void;
}

interface Held extends HeldCommand {
  settle(result: ExecResult): void;
  ended: boolean;
}

/** Answers a command at once instead of holding it (a `true` nobody needs to watch). */
export type AutoAnswer = (cmd: { step: string; element: string }) => Ending | undefined;

const DEFAULT_WAIT_MS = 15_000;

/**
 * A transport whose commands end when the test says so. Every exec is held until `finish`
 * (or until the engine aborts it, which settles it like a killed process), so "what runs at
 * the same time" is a state the test reads with `running()`, and the order of starts and ends
 * is `history`, with no clock involved.
 */
export class ControlledTransport implements Transport {
  readonly kind = 'controlled';
  /** `start A@e1`, `end A@e1`, `kill A@e2`, in the order they happened. */
  readonly history: string[] = [];
  private readonly live: Held[] = [];
  private readonly waiters = new Set<{ key: string; resolve(h: Held): void }>();
  private readonly auto: AutoAnswer | undefined;

  constructor(opts: { auto?: AutoAnswer } = {}) {
    this.auto = opts.auto;
  }

  connect(element: ResolvedElement, opts: ConnectOptions): Promise<Connection> {
    if (opts.signal.aborted) return Promise.reject(new Error(`${element.id}: connect aborted`));
    return Promise.resolve({
      exec: (req) => this.exec(element.id, req),
      close: () => Promise.resolve(),
    });
  }

  /** The commands running now, in the order they started, as `STEP@ELEMENT`. */
  running(): string[] {
    return this.live.map((h) => h.key);
  }

  /** Every start so far, in order, as `STEP@ELEMENT`. */
  starts(): string[] {
    return this.history.filter((e) => e.startsWith('start ')).map((e) => e.slice('start '.length));
  }

  /**
   * The command `step` running on `element`: the one running now, else the next one to start
   * (a retry). Rejects with what does run if none starts within a generous bound, so a wrong
   * order fails with a message instead of hanging until the suite's timeout.
   */
  started(step: string, element: string, waitMs = DEFAULT_WAIT_MS): Promise<HeldCommand> {
    const key = `${step}@${element}`;
    const now = this.live.find((h) => h.key === key);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter = {
        key,
        resolve: (h: Held) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(h);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${key} did not start; running: [${this.running().join(', ')}]; history: ${this.history.join(', ') || '(nothing)'}`));
      }, waitMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits until each of `keys` (`STEP@ELEMENT`) runs; they then run side by side. */
  async allStarted(keys: readonly string[], waitMs = DEFAULT_WAIT_MS): Promise<HeldCommand[]> {
    return Promise.all(keys.map((k) => this.started(...splitKey(k), waitMs)));
  }

  /** Ends the running command `step` on `element` with `ending` (exit 0 and no output by default). */
  finish(step: string, element: string, ending: Ending = {}): void {
    const key = `${step}@${element}`;
    const h = this.live.find((x) => x.key === key);
    if (!h) throw new Error(`${key} is not running; running: [${this.running().join(', ')}]`);
    this.end(h, ending, 'end');
  }

  /** `finish` with a non-zero exit code and a line on stderr. */
  fail(step: string, element: string, exitCode = 1, stderr = `${step} failed on ${element}\n`): void {
    this.finish(step, element, { exitCode, stderr });
  }

  private exec(element: string, req: ExecRequest): Promise<ExecResult> {
    const step = req.command;
    const key = `${step}@${element}`;
    return new Promise((resolve) => {
      const h: Held = {
        step,
        element,
        key,
        stdin: req.stdin,
        env: req.env,
        signal: req.signal,
        ended: false,
        write: (stream, text) => {
          if (!h.ended) req.onOutput(stream, Buffer.from(text));
        },
        settle: (result) => {
          req.signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      const onAbort = (): void => this.end(h, { exitCode: null, signal: 'SIGTERM' }, 'kill');
      this.live.push(h);
      this.history.push(`start ${key}`);
      if (req.signal.aborted) return onAbort();
      req.signal.addEventListener('abort', onAbort, { once: true });
      const answer = this.auto?.({ step, element });
      if (answer) return this.end(h, answer, 'end');
      for (const w of [...this.waiters]) if (w.key === key) w.resolve(h);
    });
  }

  private end(h: Held, ending: Ending, how: 'end' | 'kill'): void {
    if (h.ended) return;
    if (ending.stdout) h.write('stdout', ending.stdout);
    if (ending.stderr) h.write('stderr', ending.stderr);
    h.ended = true;
    this.live.splice(this.live.indexOf(h), 1);
    this.history.push(`${how} ${h.key}`);
    h.settle({ exitCode: ending.exitCode === undefined ? 0 : ending.exitCode, signal: ending.signal ?? null });
  }
}

/** `B@e1` -> ['B', 'e1'] (a step path may hold a slash, never an `@`). */
export function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('@');
  if (at <= 0) throw new Error(`"${key}" is not STEP@ELEMENT`);
  return [key.slice(0, at), key.slice(at + 1)];
}
