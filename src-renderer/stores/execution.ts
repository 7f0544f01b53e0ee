import { create } from 'zustand';
import type { ExecutionSummary, StepRunRecord } from '../../src-shared/domain/execution';
import type { Responses } from '../../src-shared/ipc/contract';
import { bridge } from '../bridge';
import { errorText } from '../format/error';

/**
 * The execution open on the detail page: its header and every step run, loaded with
 * `executions/get` and kept current by `execution/changed` and `stepRuns/changed`.
 * Events that arrive while the first load is in flight are replayed on top of it.
 */

export type ExecutionDetail = Omit<Responses['executions/get'], 'stepRuns' | 'runs'> & {
  /** The execution this one retries, when known (it comes with `execution/changed`). */
  originId?: number | null;
};

interface ExecutionState {
  id: number | null;
  detail: ExecutionDetail | null;
  /** Step runs by id. */
  runs: Map<number, StepRunRecord>;
  loading: boolean;
  error: string | null;
  open(id: number): Promise<void>;
  reload(): Promise<void>;
  close(): void;
  applySummary(summary: ExecutionSummary): void;
  applyRuns(executionId: number, runs: StepRunRecord[]): void;
}

let buffered: Array<{ kind: 'summary'; s: ExecutionSummary } | { kind: 'runs'; runs: StepRunRecord[] }> = [];

export const useExecution = create<ExecutionState>((set, get) => ({
  id: null,
  detail: null,
  runs: new Map(),
  loading: false,
  error: null,

  open: async (id) => {
    if (get().id === id && get().detail !== null) {
      await get().reload();
      return;
    }
    set({ id, detail: null, runs: new Map(), error: null });
    await get().reload();
  },

  reload: async () => {
    const id = get().id;
    if (id === null) return;
    buffered = [];
    set({ loading: true });
    const r = await bridge.invoke('executions/get', { id });
    if (get().id !== id) return;
    if (!r.ok) {
      set({ loading: false, error: errorText(r.error) });
      return;
    }
    const { stepRuns, runs: _reportRuns, ...detail } = r.value;
    const runs = new Map<number, StepRunRecord>();
    for (const run of stepRuns) runs.set(run.id, run);
    const replay = buffered;
    buffered = [];
    set({ loading: false, error: null, detail, runs });
    for (const b of replay) {
      if (b.kind === 'summary') get().applySummary(b.s);
      else get().applyRuns(id, b.runs);
    }
  },

  close: () => set({ id: null, detail: null, runs: new Map(), error: null }),

  applySummary: (s) => {
    const { id, detail, loading } = get();
    if (id !== s.id) return;
    if (loading || detail === null) {
      buffered.push({ kind: 'summary', s });
      return;
    }
    set({
      detail: {
        ...detail,
        status: s.status,
        flowVersion: s.flowVersion,
        error: s.error,
        queuedAt: s.queuedAt,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        originId: s.originId,
      },
    });
  },

  applyRuns: (executionId, runs) => {
    const { id, detail, loading } = get();
    if (id !== executionId) return;
    if (loading || detail === null) {
      buffered.push({ kind: 'runs', runs });
      return;
    }
    const next = new Map(get().runs);
    for (const run of runs) next.set(run.id, run);
    set({ runs: next });
  },
}));
