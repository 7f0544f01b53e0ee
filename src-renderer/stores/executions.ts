import { create } from 'zustand';
import type { ExecutionStatus, ExecutionSummary } from '../../src-shared/domain/execution';
import type { RequestOf } from '../../src-shared/ipc/contract';
import { fetchOrReport } from './request';

/** The executions list and its filters; rows update live from `execution/changed`. */

export interface ExecutionFilters {
  flow: string;
  status: ExecutionStatus | '';
  element: string;
  /** `key=value` or `key`. */
  label: string;
}

export const NO_FILTERS: ExecutionFilters = { flow: '', status: '', element: '', label: '' };

interface ExecutionsState {
  filters: ExecutionFilters;
  executions: ExecutionSummary[];
  loading: boolean;
  loadedAt: number | null;
  setFilters(patch: Partial<ExecutionFilters>): void;
  load(): Promise<void>;
  /** A live change: update the row, or add it when it matches what the list shows. */
  upsert(summary: ExecutionSummary): void;
}

export const LIST_LIMIT = 200;

export function listRequest(f: ExecutionFilters): RequestOf<'executions/list'> {
  const req: RequestOf<'executions/list'> = { limit: LIST_LIMIT };
  if (f.flow.trim()) req.flow = f.flow.trim();
  if (f.status) req.status = f.status;
  if (f.element.trim()) req.element = f.element.trim();
  const label = f.label.trim();
  if (label) {
    const eq = label.indexOf('=');
    req.label = eq === -1 ? { key: label } : { key: label.slice(0, eq).trim(), value: label.slice(eq + 1).trim() };
  }
  return req;
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
let loadSeq = 0;

export const useExecutions = create<ExecutionsState>((set, get) => ({
  filters: NO_FILTERS,
  executions: [],
  loading: false,
  loadedAt: null,
  setFilters: (patch) => {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    void get().load();
  },
  load: async () => {
    const mine = ++loadSeq;
    set({ loading: true });
    const value = await fetchOrReport('executions/list', listRequest(get().filters), 'Loading executions');
    if (mine !== loadSeq) return;
    if (value) set({ executions: value, loadedAt: Date.now() });
    set({ loading: false });
  },
  upsert: (summary) => {
    const { executions, filters, loadedAt } = get();
    if (loadedAt === null) return;
    const i = executions.findIndex((e) => e.id === summary.id);
    if (i !== -1) {
      const next = executions.slice();
      next[i] = summary;
      set({ executions: next });
      return;
    }
    // A new execution: the flow and status filters can be checked here; element and label
    // filters need the server, so the list reloads (at most twice a second).
    if (filters.flow.trim() && filters.flow.trim() !== summary.flow) return;
    if (filters.status && filters.status !== summary.status) return;
    if (filters.element.trim() || filters.label.trim()) {
      if (reloadTimer === null) {
        reloadTimer = setTimeout(() => {
          reloadTimer = null;
          void get().load();
        }, 500);
      }
      return;
    }
    set({ executions: [summary, ...executions].sort((a, b) => b.id - a.id).slice(0, LIST_LIMIT) });
  },
}));
