import { finishedExecutionStatuses, type ExecutionSummary } from '../../src-shared/domain/execution';
import { formatError } from '../../src-shared/errors';
import type { EngineEvents } from '../engine/events';
import type { EngineClock } from '../engine/rate-limit';
import type { RunRequest, StartedExecution } from '../engine/executor';
import type { Db } from '../store/db';
import {
  claimScheduleSlot,
  getSchedule,
  listSchedules,
  schedulesFingerprint,
  unfinishedRunsOf,
  type StoredSchedule,
} from '../store/schedule-queries';
import { parseCron, type CronSpec } from './cron-expression';
import { latestRunBetween, nextRun } from './next-runs';
import { formatInZone } from './zone';

export interface SchedulerOptions {
  db: Db;
  events: EngineEvents;
  /** Plans and starts a run and adds it to the process's live table; rejects when it cannot start. */
  launch: (req: RunRequest) => Promise<StartedExecution>;
  /** One line for the operator (default: stderr). */
  log?: (line: string) => void;
  /** How often to look for changes made by other processes, and for queued runs whose turn came. */
  pollMs?: number;
  /** The time schedules fire by (the real clock unless a test moves its own). */
  clock?: EngineClock;
}

export interface Scheduler {
  /** Re-reads the schedules now (the poll does it within `pollMs` anyway). */
  reload(): void;
  /** Resolves once every run fired so far has started (or failed to start). */
  settled(): Promise<void>;
  stop(): void;
}

/** A timer that fires later than this after its instant is a missed run (the machine slept), not a late one. */
const LATE_MS = 30_000;
/** Timers are re-armed at least this often, so long waits survive clock changes and setTimeout's 24.8-day cap. */
const MAX_TIMER_MS = 3_600_000;

/** The real clock. Its timers never keep the process alive by themselves: the app or `serve` does. */
const wallClock: EngineClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** A pending call of `fn` after `ms` on `clock`; `clear` drops it. */
interface Timer {
  clear(): void;
}

function later(clock: EngineClock, ms: number, fn: () => void): Timer {
  const cleared = new AbortController();
  void clock.sleep(ms, cleared.signal).then(() => {
    if (!cleared.signal.aborted) fn();
  });
  return { clear: () => cleared.abort() };
}

interface Entry {
  s: StoredSchedule;
  spec: CronSpec;
  /** The instant up to which every fire time has been handled. */
  cursor: number;
  timer: Timer | undefined;
  /** A fire time waiting for the previous run to end (overlap: queue); at most one. */
  pending: number | undefined;
  /** The execution a skip was last reported for, so a long run is reported once, not every second. */
  skipReportedFor: number | undefined;
  /** A run of this schedule is being planned and has no execution row yet: it counts as going. */
  launching: boolean;
}

/**
 * Fires enabled schedules at their times in their zones. Timers come from next-runs.ts (the same
 * computation the preview shows; node-cron's own timers disagree with it across daylight-saving
 * changes). Changes are picked up at once from this process (the `schedules` event) and within
 * a second from any other (a CLI `schedule add` while `flowdeck serve` runs), by polling a
 * fingerprint of the table that every write changes.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { db, events, launch } = opts;
  const clock = opts.clock ?? wallClock;
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const entries = new Map<number, Entry>();
  let fingerprint = '';
  let stopped = false;
  const launching = new Set<Promise<unknown>>();

  const say = (s: StoredSchedule, text: string): void => log(`flowdeck: schedule ${s.id} (flow ${s.flow}): ${text}`);
  const at = (s: StoredSchedule, t: number): string => formatInZone(t, s.timezone);

  function start(entry: Entry, row: StoredSchedule, slot: number): void {
    // Claimed first: of two schedulers on one database, exactly one starts this run.
    if (!claimScheduleSlot(db, row.id, slot)) return;
    entry.skipReportedFor = undefined;
    entry.launching = true;
    const launched = launch({ flow: row.flow, params: row.params, trigger: 'schedule', scheduleId: row.id }).then(
      (started) => {
        entry.launching = false;
        void started.done.then(
          () => runPending(row.id),
          () => runPending(row.id),
        );
      },
      (e: unknown) => {
        entry.launching = false;
        say(row, `could not start the run at ${at(row, slot)}: ${formatError(e)}`);
        runPending(row.id);
      },
    );
    launching.add(launched);
    void launched.finally(() => launching.delete(launched));
  }

  /** Applies the overlap policy and starts the run of `slot`; never throws. */
  function fire(entry: Entry, slot: number): void {
    const { s } = entry;
    try {
      const row = getSchedule(db, s.id);
      if (!row) {
        say(s, `its run at ${at(s, slot)} was skipped: the schedule no longer exists (was its flow deleted?)`);
        return;
      }
      if (!row.enabled) return;
      if (row.updatedAt !== s.updatedAt) {
        // Edited by another process since we read it: the new version decides, from now on.
        reload();
        return;
      }
      if (entry.launching && row.overlap !== 'allow') {
        // The previous fire is still being planned (milliseconds): it counts as a run going.
        if (row.overlap === 'queue' && entry.pending === undefined) entry.pending = slot;
        return;
      }
      const active = unfinishedRunsOf(db, row.id);
      const blocking = active[0];
      if (blocking !== undefined && row.overlap !== 'allow') {
        if (row.overlap === 'queue' && entry.pending === undefined) {
          entry.pending = slot;
          say(row, `run at ${at(row, slot)} waits for execution #${blocking} to end (overlap: queue)`);
        } else if (entry.skipReportedFor !== blocking) {
          entry.skipReportedFor = blocking;
          const why = row.overlap === 'queue' ? 'one run already waits' : 'overlap: skip';
          say(row, `run at ${at(row, slot)} skipped: execution #${blocking} is still going (${why}); further runs are skipped until it ends`);
        }
        return;
      }
      start(entry, row, slot);
    } catch (e) {
      say(s, `could not start the run at ${at(s, slot)}: ${formatError(e)}`);
    }
  }

  /** Starts the run a `queue` schedule keeps waiting, once nothing of that schedule is going any more. */
  function runPending(id: number): void {
    const entry = entries.get(id);
    if (stopped || !entry || entry.pending === undefined) return;
    try {
      if (entry.launching || unfinishedRunsOf(db, id).length > 0) return;
      const slot = entry.pending;
      entry.pending = undefined;
      const row = getSchedule(db, id);
      if (row?.enabled) start(entry, row, slot);
    } catch (e) {
      say(entry.s, `could not start the queued run: ${formatError(e)}`);
    }
  }

  function arm(entry: Entry): void {
    if (stopped || entries.get(entry.s.id) !== entry) return;
    const next = nextRun(entry.spec, entry.s.timezone, entry.cursor);
    if (next === undefined) return;
    entry.timer = later(clock, Math.min(Math.max(0, next - clock.now()), MAX_TIMER_MS), () => wake(entry));
  }

  function wake(entry: Entry): void {
    entry.timer = undefined;
    if (stopped || entries.get(entry.s.id) !== entry) return;
    try {
      const now = clock.now();
      const due = nextRun(entry.spec, entry.s.timezone, entry.cursor);
      if (due !== undefined && due <= now) {
        // Several times may have passed (a suspended laptop, a blocked loop): one run at most.
        const latest = latestRunBetween(entry.spec, entry.s.timezone, entry.cursor, now) ?? due;
        entry.cursor = latest;
        const late = now - latest;
        if (late <= LATE_MS) fire(entry, latest);
        else if (entry.s.missed === 'run-once' && late <= entry.s.missedWindowSeconds * 1000) {
          say(entry.s, `making up the run missed at ${at(entry.s, latest)} (missed: run-once)`);
          fire(entry, latest);
        } else say(entry.s, `missed its run at ${at(entry.s, latest)}: woke ${Math.round(late / 1000)} s late (the machine slept?); not made up (missed: ${entry.s.missed})`);
      }
    } catch (e) {
      say(entry.s, `scheduling failed: ${formatError(e)}`);
    }
    arm(entry);
  }

  function add(s: StoredSchedule, now: number): Entry | undefined {
    let spec: CronSpec;
    try {
      spec = parseCron(s.cron);
    } catch (e) {
      say(s, `not scheduled: ${formatError(e)}`);
      return undefined;
    }
    const entry: Entry = { s, spec, cursor: now, timer: undefined, pending: undefined, skipReportedFor: undefined, launching: false };
    entries.set(s.id, entry);
    return entry;
  }

  function drop(id: number): void {
    const e = entries.get(id);
    e?.timer?.clear();
    entries.delete(id);
  }

  function reload(): void {
    if (stopped) return;
    fingerprint = schedulesFingerprint(db);
    const now = clock.now();
    const rows = new Map(listSchedules(db).map((s) => [s.id, s]));
    for (const id of [...entries.keys()]) {
      const row = rows.get(id);
      if (!row || !row.enabled || row.updatedAt !== entries.get(id)?.s.updatedAt) drop(id);
    }
    for (const row of rows.values()) {
      if (!row.enabled || entries.has(row.id)) continue;
      const entry = add(row, now);
      if (entry) arm(entry);
    }
  }

  /** The missed-run policy, once, when the scheduler starts after the app or the console was closed. */
  function catchUp(entry: Entry, now: number): void {
    const { s } = entry;
    const latest = latestRunBetween(entry.spec, s.timezone, s.lastFiredAt ?? s.createdAt, now);
    if (latest === undefined) return;
    if (s.missed === 'skip') say(s, `missed its run at ${at(s, latest)} while closed; not made up (missed: skip)`);
    else if (now - latest > s.missedWindowSeconds * 1000) {
      say(s, `missed its run at ${at(s, latest)} while closed; older than the ${s.missedWindowSeconds} s window, not made up`);
    } else {
      say(s, `making up the run missed at ${at(s, latest)} while closed (missed: run-once)`);
      fire(entry, latest);
    }
  }

  const now = clock.now();
  fingerprint = schedulesFingerprint(db);
  for (const s of listSchedules(db)) {
    if (!s.enabled) continue;
    const entry = add(s, now);
    if (!entry) continue;
    try {
      catchUp(entry, now);
    } catch (e) {
      say(s, `could not check for missed runs: ${formatError(e)}`);
    }
    arm(entry);
  }

  const safeReload = (): void => {
    try {
      reload();
    } catch (e) {
      log(`flowdeck: scheduler: ${formatError(e)}`);
    }
  };
  const onSchedules = (): void => safeReload();
  const onExecution = (x: ExecutionSummary): void => {
    if (x.scheduleId !== null && finishedExecutionStatuses.includes(x.status)) runPending(x.scheduleId);
  };
  events.on('schedules', onSchedules);
  events.on('execution', onExecution);
  const pollMs = opts.pollMs ?? 1000;
  let poll: Timer | undefined;
  const armPoll = (): void => {
    poll = later(clock, pollMs, () => {
      if (stopped) return;
      try {
        if (schedulesFingerprint(db) !== fingerprint) reload();
        for (const [id, e] of entries) if (e.pending !== undefined) runPending(id);
      } catch (e) {
        log(`flowdeck: scheduler: ${formatError(e)}`);
      }
      armPoll();
    });
  };
  armPoll();

  return {
    reload: safeReload,
    async settled() {
      while (launching.size > 0) await Promise.all([...launching]);
    },
    stop() {
      stopped = true;
      poll?.clear();
      events.off('schedules', onSchedules);
      events.off('execution', onExecution);
      for (const id of [...entries.keys()]) drop(id);
    },
  };
}
