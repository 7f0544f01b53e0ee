import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime } from '../src-main/engine/runtime';
import { startRun } from '../src-main/engine/executor';
import { saveFlow } from '../src-main/store/flow-queries';
import { saveInventory } from '../src-main/store/inventory-queries';
import { noopTransport } from '../src-main/transport/noop';
import type { FlowDocument, NormalizedStep } from '../src-shared/domain/flow';
import { elementSchema } from '../src-shared/domain/inventory';

export interface OverheadResult {
  mode: string;
  stepRuns: number;
  wallMs: number;
  perStepRunMs: number;
}

/** Engine overhead: 2,000 elements x 5 steps on a no-op transport, everything persisted as in a real run. */
export async function engineOverhead(mode: 'serial' | 'parallel', elements = 2000, steps = 5): Promise<OverheadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-'));
  try {
    const rt = await openRuntime(join(dir, 'bench.db'), { transports: { ssh: noopTransport } });
    saveInventory(rt.db, {
      profiles: [],
      groups: [],
      elements: Array.from({ length: elements }, (_, i) =>
        elementSchema.parse({ id: `h${String(i).padStart(4, '0')}`, name: `h${i}`, host: `10.0.${i >> 8}.${i & 255}`, groups: ['bench'] }),
      ),
    });
    const flow: FlowDocument = {
      id: 'bench',
      name: 'bench',
      description: '',
      mode,
      targets: { groups: ['bench'] },
      params: [],
      processing: '',
      steps: Array.from({ length: steps }, (_, i): NormalizedStep => ({ id: `s${i + 1}`, run: `echo step ${i + 1}` })),
      concurrency: 50,
      delayBetweenBatches: 0,
      onFailure: 'stop',
      maxFailPercent: 100,
      failFast: false,
      allowEmpty: false,
      reorderEachBatch: false,
      ...(mode === 'serial' ? { batchSize: 50 } : {}),
    };
    saveFlow(rt.db, flow, '');
    const t0 = performance.now();
    const started = await startRun(rt.deps, { flow: 'bench' });
    const status = await started.done;
    const wallMs = performance.now() - t0;
    if (status !== 'succeeded') throw new Error(`bench execution ended ${status}`);
    rt.close();
    return { mode, stepRuns: elements * steps, wallMs, perStepRunMs: wallMs / (elements * steps) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
