import { create } from 'zustand';
import type { ApprovalView, ExecutionSummary, StepRunRecord } from '../../../src-shared/domain/execution';
import type { Responses } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';

/**
 * The execution open on the detail page: its header, every step run and its approvals, loaded
 * with `executions/get` and kept current by `execution/changed`, `stepRuns/changed` and
 * `approval/changed`. Events that arrive while a load is in flight are replayed on top of it.
 */

type ExecutionDetail = Omit<Responses['executions/get'], 'stepRuns' | 'runs' | 'approvals'>;

interface ExecutionState {
  id: number | null;
  detail: ExecutionDetail | null;
  /** Step runs by id. */
  runs: Map<number, StepRunRecord>;
  /** Oldest first. */
  approvals: ApprovalView[];
  loading: boolean;
  error: string | null;
  open(id: number): Promise<void>;
  reload(): Promise<void>;
  close(): void;
  applySummary(summary: ExecutionSummary): void;
  applyRuns(executionId: number, runs: StepRunRecord[]): void;
  applyApproval(approval: ApprovalView): void;
  /** A gather flow decided another batch's order: read the orders again. */
  refreshBatchOrders(executionId: number): Promise<void>;
}

type Buffered = { kind: 'summary'; s: ExecutionSummary } | { kind: 'runs'; runs: StepRunRecord[] } | { kind: 'approval'; a: ApprovalView };
let buffered: Buffered[] = [];

const byRequest = (a: ApprovalView, b: ApprovalView): number => a.requestedAt - b.requestedAt || a.id - b.id;

export const useExecution = create<ExecutionState>((set, get) => ({
  id: null,
  detail: null,
  runs: new Map(),
  approvals: [],
  loading: false,
  error: null,

  open: async (id) => {
    if (get().id === id && get().detail !== null) {
      await get().reload();
      return;
    }
    set({ id, detail: null, runs: new Map(), approvals: [], error: null });
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
    const { stepRuns, runs: _reportRuns, approvals, ...detail } = r.value;
    const runs = new Map<number, StepRunRecord>();
    for (const run of stepRuns) runs.set(run.id, run);
    const replay = buffered;
    buffered = [];
    set({ loading: false, error: null, detail, runs, approvals: [...approvals].sort(byRequest) });
    for (const b of replay) {
      if (b.kind === 'summary') get().applySummary(b.s);
      else if (b.kind === 'runs') get().applyRuns(id, b.runs);
      else get().applyApproval(b.a);
    }
  },

  close: () => set({ id: null, detail: null, runs: new Map(), approvals: [], error: null }),

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
        summary: s,
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

  refreshBatchOrders: async (executionId) => {
    if (get().id !== executionId) return;
    const r = await bridge.invoke('executions/get', { id: executionId });
    const detail = get().detail;
    if (!r.ok || get().id !== executionId || detail === null) return;
    set({ detail: { ...detail, batchOrders: r.value.batchOrders } });
  },

  applyApproval: (a) => {
    const { id, detail, loading } = get();
    if (id !== a.executionId) return;
    if (loading || detail === null) {
      buffered.push({ kind: 'approval', a });
      return;
    }
    const rest = get().approvals.filter((x) => x.id !== a.id);
    set({ approvals: [...rest, a].sort(byRequest) });
  },
}));
