import type { ApprovalView } from '../../src-shared/domain/execution';
import type { Db } from '../store/db';
import { controlStates, decidedApprovals } from '../store/control-queries';

/** What the owner of one execution does when someone (any process) asks. */
export interface ControlTarget {
  pause(paused: boolean): void;
  cancel(reason: string): void;
}

interface Watched {
  target: ControlTarget;
  paused: boolean;
  cancelled: boolean;
}

/**
 * The owner's side of execution control. Requests (pause, cancel, an approval's answer) are
 * rows in SQLite so that another process (a second `flowdeck` command, another console) can
 * make them; the owner polls for them every `intervalMs` while it runs anything, and at once
 * when a request came from this process (`poke`). Queue admission and element locks waiting
 * on other processes also wake on the same tick.
 */
export class ControlHub {
  private readonly watched = new Map<number, Watched>();
  private readonly approvals = new Map<number, (a: ApprovalView) => void>();
  private readonly tickers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly intervalMs = 200,
  ) {}

  /** Follows requests for `executionId` until the returned function is called. */
  watch(executionId: number, target: ControlTarget): () => void {
    this.watched.set(executionId, { target, paused: false, cancelled: false });
    this.arm();
    this.check();
    return () => {
      this.watched.delete(executionId);
      this.disarm();
    };
  }

  /** Resolves with the approval once it is decided; rejects nothing (the caller races it with its signal). */
  waitForApproval(approvalId: number, signal: AbortSignal): Promise<ApprovalView | null> {
    return new Promise((resolve) => {
      const done = (a: ApprovalView | null): void => {
        this.approvals.delete(approvalId);
        signal.removeEventListener('abort', onAbort);
        this.disarm();
        resolve(a);
      };
      const onAbort = (): void => done(null);
      if (signal.aborted) return resolve(null);
      signal.addEventListener('abort', onAbort, { once: true });
      this.approvals.set(approvalId, done);
      this.arm();
    });
  }

  /** Calls `fn` on every tick (and every poke) until the returned function is called. */
  onTick(fn: () => void): () => void {
    this.tickers.add(fn);
    this.arm();
    return () => {
      this.tickers.delete(fn);
      this.disarm();
    };
  }

  /** A request was written by this process: act on it now rather than at the next tick. */
  poke(): void {
    this.check();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) return;
    // Kept referenced: an execution waiting for an approval or a resume has nothing else keeping
    // a CLI process alive. The timer only exists while something is watched or waited for.
    this.timer = setInterval(() => this.check(), this.intervalMs);
  }

  private disarm(): void {
    if (this.watched.size === 0 && this.approvals.size === 0 && this.tickers.size === 0) this.close();
  }

  private check(): void {
    for (const s of controlStates(this.db, [...this.watched.keys()])) {
      const w = this.watched.get(s.id);
      if (!w) continue;
      if (s.cancelRequested !== null && !w.cancelled) {
        w.cancelled = true;
        w.target.cancel(s.cancelRequested);
      }
      if (s.pauseRequested !== w.paused) {
        w.paused = s.pauseRequested;
        w.target.pause(s.pauseRequested);
      }
    }
    for (const a of decidedApprovals(this.db, [...this.approvals.keys()])) this.approvals.get(a.id)?.(a);
    for (const fn of [...this.tickers]) fn();
  }
}
