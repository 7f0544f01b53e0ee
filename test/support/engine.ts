import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { openRuntime, type EngineRuntime, type TransportTable } from '../../src-main/engine/runtime';
import { startRun } from '../../src-main/engine/executor';
import { executionReport } from '../../src-main/store/execution-queries';
import { saveInventory } from '../../src-main/store/inventory-queries';
import { parseFlowFile } from '../../src-main/flows/parse';
import { saveFlowSet } from '../../src-main/flows/save';
import { parseFlowdeckInventoryYaml } from '../../src-main/inventory';

/** The engine in-process on a real SQLite file in a temp folder. */
export class EngineHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowdeck-engine-'));
  rt!: EngineRuntime;

  async open(transports: TransportTable = {}): Promise<this> {
    this.rt = await openRuntime(join(this.dir, 'flowdeck.db'), { transports });
    return this;
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
    const started = await startRun(this.rt.deps, { flow, ...opts });
    await started.done;
    return executionReport(this.rt.db, started.id) as ExecutionReport;
  }

  close(): void {
    this.rt?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const localFleet = (n: number, extra = ''): string =>
  `elements:\n${Array.from({ length: n }, (_, i) => `  - { id: e${i + 1}, name: e${i + 1}, host: localhost, transport: local, groups: [fleet], context: { n: ${i + 1} }${extra} }`).join('\n')}\n`;
