import type { ExecutionStatus } from '../../src-shared/domain/execution';
import type { ScheduleInput, ScheduleView } from '../../src-shared/domain/schedule';
import type { StartedExecution } from '../../src-main/engine/executor';
import { openRuntime, type TransportTable } from '../../src-main/engine/runtime';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { startScheduler, type Scheduler } from '../../src-main/schedules/scheduler';
import { saveInventory } from '../../src-main/store/inventory-queries';
import { parseFlowdeckInventoryYaml } from '../../src-main/inventory';
import { IpcHarness } from '../ipc/harness';
import { ControlledTransport } from '../support/controlled-transport';
import { ManualClock } from '../support/manual-clock';

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

/** A flow of one command on `box`, whose commands the fixture's ControlledTransport holds (`true` ends at once). */
export function heldFlow(id: string, command: string, extra = ''): string {
  return `id: ${id}\nname: ${id}\ntargets: { elements: [box] }\n${extra}steps:\n  - { id: s1, run: ${JSON.stringify(command)} }\n`;
}

/** The IPC stack of IpcHarness, on a runtime whose ssh elements a test transport serves. */
class ServedIpcHarness extends IpcHarness {
  constructor(private readonly transports: TransportTable) {
    super();
  }

  override async open(): Promise<this> {
    this.rt = await openRuntime(this.dbPath, { transports: this.transports });
    this.dispatch = createDispatcher(createHandlers(this.rt, this.live));
    return this;
  }
}

/**
 * The real engine and IPC handlers on a SQLite file, with the scheduler as background.ts starts
 * it, on a clock the test moves, its lines kept. Commands on `box` are held by `t` (a `true` ends
 * at once), so "a run still going" is a state the test holds; the built-in localhost runs real
 * local commands.
 */
export class SchedulerFixture {
  readonly t = new ControlledTransport({ auto: ({ step }) => (step === 'true' ? {} : undefined) });
  readonly h = new ServedIpcHarness({ ssh: this.t });
  readonly clock = new ManualClock();
  readonly lines: string[] = [];
  private readonly started = new Map<number, StartedExecution>();
  scheduler: Scheduler | undefined;

  async open(): Promise<this> {
    await this.h.open();
    saveInventory(this.h.rt.db, parseFlowdeckInventoryYaml('elements:\n  - { id: box, name: box, host: 127.0.0.1 }\n', 'inventory.yaml'));
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
      launch: async (req) => {
        const s = await live.launch(rt.deps, req);
        this.started.set(s.id, s);
        return s;
      },
      log: (line) => this.lines.push(line),
      clock: this.clock,
      ...(pollMs !== undefined ? { pollMs } : {}),
    });
  }

  /** Moves the scheduler's clock by `ms`, then waits until every run it fired has started. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await this.settled();
  }

  /** Every run fired so far has started (planning a run takes a round trip to the sandbox). */
  async settled(): Promise<void> {
    await this.scheduler?.settled();
  }

  /** Waits for execution `id`, started by the scheduler, to end; then for any run its end let start. */
  async ended(id: number): Promise<ExecutionStatus> {
    const s = this.started.get(id);
    if (!s) throw new Error(`execution #${id} was not started by this scheduler`);
    const status = await s.done;
    await this.settled();
    return status;
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
export const everySecond = '* * * * * *';
