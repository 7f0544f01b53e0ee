import type { ExecutionStatus } from '../../src-shared/domain/execution';
import type { ScheduleInput, ScheduleView } from '../../src-shared/domain/schedule';
import { startScheduler, type Scheduler } from '../../src-main/schedules/scheduler';
import { IpcHarness } from '../ipc/harness';

export interface ScheduledRun {
  id: number;
  flow: string;
  status: ExecutionStatus;
  trigger: string;
  scheduleId: number | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A flow of one shell command on the built-in localhost. */
export function commandFlow(id: string, command: string, extra = ''): string {
  return `id: ${id}\nname: ${id}\ntargets: { elements: [localhost] }\n${extra}steps:\n  - { id: s1, run: ${JSON.stringify(command)} }\n`;
}

/** The real engine and IPC handlers on a SQLite file, with the scheduler as background.ts starts it, its lines kept. */
export class SchedulerFixture {
  readonly h = new IpcHarness();
  readonly lines: string[] = [];
  scheduler: Scheduler | undefined;

  async open(): Promise<this> {
    await this.h.open();
    return this;
  }

  async flow(yaml: string): Promise<void> {
    await this.h.value('flows/save', { source: yaml });
  }

  async schedule(input: ScheduleInput, id?: number): Promise<ScheduleView> {
    return this.h.value('schedules/save', id === undefined ? { schedule: input } : { id, schedule: input });
  }

  start(pollMs?: number): void {
    const { rt, live } = this.h;
    this.scheduler = startScheduler({
      db: rt.db,
      events: rt.deps.events,
      launch: (req) => live.launch(rt.deps, req),
      log: (line) => this.lines.push(line),
      ...(pollMs !== undefined ? { pollMs } : {}),
    });
  }

  /** Every run fired so far has started (planning a run takes a round trip to the sandbox). */
  async settled(): Promise<void> {
    await this.scheduler?.settled();
  }

  stop(): void {
    this.scheduler?.stop();
    this.scheduler = undefined;
  }

  runsOf(scheduleId: number): ScheduledRun[] {
    return this.h.rt.db
      .prepare(
        `SELECT id, flow_id AS flow, status, trigger, schedule_id AS scheduleId, queued_at AS queuedAt, started_at AS startedAt, finished_at AS finishedAt
         FROM executions WHERE schedule_id = ? ORDER BY id`,
      )
      .all(scheduleId) as ScheduledRun[];
  }

  linesAbout(scheduleId: number): string[] {
    return this.lines.filter((l) => l.startsWith(`flowdeck: schedule ${scheduleId} `));
  }

  async close(): Promise<void> {
    this.stop();
    await this.h.close();
  }
}

export const finished = (r: ScheduledRun): boolean => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(r.status);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const everySecond = '* * * * * *';
