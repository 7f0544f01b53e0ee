import { create } from 'zustand';
import type { ExecutionStatus, ExecutionSummary } from '../../../src-shared/domain/execution';
import type { RequestOf } from '../../../src-shared/ipc/contract';
import { parseLabelFilter } from '../../format/labels';
import { fromLocalInput } from './time-input';
import { fetchOrReport } from '../../shell/request';

/**
 * The executions list: the history search (filters), one page of it (newest first, paged
 * back with `before`), and live updates from `execution/changed`.
 */

export interface ExecutionFilters {
  flow: string;
  status: ExecutionStatus | '';
  element: string;
  /** `key=value` or `key`. */
  label: string;
  /** `datetime-local` values (queued at or after / before), '' for none. */
  since: string;
  until: string;
}

export const NO_FILTERS: ExecutionFilters = { flow: '', status: '', element: '', label: '', since: '', until: '' };

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;

interface ExecutionsState {
  filters: ExecutionFilters;
  pageSize: number;
  /** The page shown: executions older than this id; null for the newest. */
  before: number | null;
  /** The `before` of each newer page, to walk back with "Newer". */
  newer: Array<number | null>;
  executions: ExecutionSummary[];
  loading: boolean;
  loadedAt: number | null;
  setFilters(patch: Partial<ExecutionFilters>): void;
  setPageSize(size: number): void;
  older(): void;
  newest(): void;
  newerPage(): void;
  load(): Promise<void>;
  /** A live change: update the row, or add it when it belongs on the page shown. */
  upsert(summary: ExecutionSummary): void;
}

/** The request for these filters, or the first filter that cannot be read. */
function listRequest(f: ExecutionFilters, limit: number, before: number | null): { ok: true; request: RequestOf<'executions/list'> } | { ok: false; problem: string } {
  const request: RequestOf<'executions/list'> = { limit };
  if (before !== null) request.before = before;
  if (f.flow.trim()) request.flow = f.flow.trim();
  if (f.status) request.status = f.status;
  if (f.element.trim()) request.element = f.element.trim();
  const label = parseLabelFilter(f.label);
  if (!label.ok) return { ok: false, problem: label.problem };
  if (label.filter) request.label = label.filter;
  for (const side of ['since', 'until'] as const) {
    if (f[side].trim() === '') continue;
    const ms = fromLocalInput(f[side]);
    if (ms === null) return { ok: false, problem: `"${side}" is not a date and time` };
    request[side] = ms;
  }
  if (request.since !== undefined && request.until !== undefined && request.since >= request.until) return { ok: false, problem: '"since" must be before "until"' };
  return { ok: true, request };
}

/** The problem with the filters as they stand, for the search bar to show. */
export function filtersProblem(f: ExecutionFilters): string | null {
  const r = listRequest(f, 1, null);
  return r.ok ? null : r.problem;
}

/** Whether a new execution belongs in the list, judged here; null when only main can tell. */
function matchesHere(f: ExecutionFilters, s: ExecutionSummary): boolean | null {
  if (f.flow.trim() && f.flow.trim() !== s.flow) return false;
  if (f.status && f.status !== s.status) return false;
  const since = fromLocalInput(f.since);
  const until = fromLocalInput(f.until);
  if (since !== null && s.queuedAt < since) return false;
  if (until !== null && s.queuedAt >= until) return false;
  if (f.element.trim() || f.label.trim()) return null;
  return true;
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
let loadSeq = 0;

export const useExecutions = create<ExecutionsState>((set, get) => ({
  filters: NO_FILTERS,
  pageSize: DEFAULT_PAGE_SIZE,
  before: null,
  newer: [],
  executions: [],
  loading: false,
  loadedAt: null,
  setFilters: (patch) => {
    // Another search starts from its newest page.
    set((s) => ({ filters: { ...s.filters, ...patch }, before: null, newer: [] }));
    void get().load();
  },
  setPageSize: (size) => {
    set({ pageSize: size, before: null, newer: [] });
    void get().load();
  },
  older: () => {
    const { executions, before, newer } = get();
    if (executions.length === 0) return;
    const smallest = Math.min(...executions.map((e) => e.id));
    set({ newer: [...newer, before], before: smallest });
    void get().load();
  },
  newerPage: () => {
    const { newer } = get();
    if (newer.length === 0) return;
    set({ before: newer[newer.length - 1] ?? null, newer: newer.slice(0, -1) });
    void get().load();
  },
  newest: () => {
    set({ before: null, newer: [] });
    void get().load();
  },
  load: async () => {
    const mine = ++loadSeq;
    const { filters, pageSize, before } = get();
    const req = listRequest(filters, pageSize, before);
    // The search bar shows the problem; the rows stay as they were until it is fixed.
    if (!req.ok) return;
    set({ loading: true });
    const value = await fetchOrReport('executions/list', req.request, 'Loading executions');
    if (mine !== loadSeq) return;
    if (value) set({ executions: value, loadedAt: Date.now() });
    set({ loading: false });
  },
  upsert: (summary) => {
    const { executions, filters, loadedAt, before, pageSize } = get();
    if (loadedAt === null) return;
    const i = executions.findIndex((e) => e.id === summary.id);
    if (i !== -1) {
      const next = executions.slice();
      next[i] = summary;
      set({ executions: next });
      return;
    }
    // New executions are newer than every row: they only show on the newest page.
    if (before !== null) return;
    const match = matchesHere(filters, summary);
    if (match === false) return;
    if (match === null) {
      if (reloadTimer === null) {
        reloadTimer = setTimeout(() => {
          reloadTimer = null;
          void get().load();
        }, 500);
      }
      return;
    }
    set({ executions: [summary, ...executions].sort((a, b) => b.id - a.id).slice(0, pageSize) });
  },
}));
