import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { openRuntime, type EngineRuntime, type TransportTable } from '../../src-main/engine/runtime';
import { startRun, type StartedExecution } from '../../src-main/engine/executor';
import { executionReport } from '../../src-main/store/execution-queries';
import { saveInventory } from '../../src-main/store/inventory-queries';
import { parseFlowFile } from '../../src-main/flows/parse';
import { saveFlowSet } from '../../src-main/flows/save';
import { parseFlowdeckInventoryYaml } from '../../src-main/inventory';
import { EngineIdle } from './engine-idle';

/** The engine in-process on a real SQLite file in a temp folder. */
export class EngineHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowdeck-engine-'));
  rt!: EngineRuntime;
  private quiet!: EngineIdle;
  private readonly started: StartedExecution[] = [];

  async open(transports: TransportTable = {}): Promise<this> {
    this.rt = await openRuntime(join(this.dir, 'flowdeck.db'), { transports });
    this.quiet = new EngineIdle(this.rt.deps);
    return this;
  }

  /** Resolves once the engine has nothing left to do but wait (see EngineIdle). */
  idle(): Promise<void> {
    return this.quiet.settle();
  }

  inventory(yaml: string): this {
    saveInventory(this.rt.db, parseFlowdeckInventoryYaml(yaml, 'inventory.yaml'));
    return this;
  }

  flows(...yamls: string[]): this {
    saveFlowSet(
      this.rt.db,
      yamls.map((y, i) => parseFlowFile(y, `flow${i}.yaml`)),
    );
    return this;
  }

  async run(flow: string, opts: { params?: Record<string, JsonValue>; elements?: string[] } = {}): Promise<ExecutionReport> {
    const started = await this.start(flow, opts);
    await started.done;
    return this.report(started.id);
  }

  /** Plans and starts a run; the test drives it and awaits `done` itself. */
  async start(flow: string, opts: { params?: Record<string, JsonValue>; elements?: string[] } = {}): Promise<StartedExecution> {
    const started = await startRun(this.rt.deps, { flow, ...opts });
    this.started.push(started);
    return started;
  }

  report(id: number): ExecutionReport {
    return executionReport(this.rt.db, id) as ExecutionReport;
  }

  /** Cancels what a failed test left running (held commands end as killed), then closes. */
  async shutdown(): Promise<void> {
    for (const s of this.started) s.cancel('test over');
    await Promise.allSettled(this.started.map((s) => s.done));
    this.close();
  }

  close(): void {
    this.rt?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const localFleet = (n: number, extra = ''): string =>
  `elements:\n${Array.from({ length: n }, (_, i) => `  - { id: e${i + 1}, name: e${i + 1}, host: localhost, transport: local, groups: [fleet], context: { n: ${i + 1} }${extra} }`).join('\n')}\n`;

/**
 * Elements e1..eN on the default (ssh) transport, which a test serves with a ControlledTransport
 * (`open({ ssh: t })`): nothing connects anywhere. e1 has the highest `rank`.
 */
export const heldFleet = (n: number): string =>
  `elements:\n${Array.from({ length: n }, (_, i) => `  - { id: e${i + 1}, name: E${i + 1}, host: 127.0.0.1, groups: [fleet], context: { n: ${i + 1}, rank: ${n - i} } }`).join('\n')}\n`;
