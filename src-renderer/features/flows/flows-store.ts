import { create } from 'zustand';
import type { FlowListItem, Responses } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { fetchOrReport } from '../../shell/request';

interface FlowsState {
  flows: FlowListItem[];
  loading: boolean;
  loadedAt: number | null;
  load(): Promise<void>;
}

export const useFlows = create<FlowsState>((set) => ({
  flows: [],
  loading: false,
  loadedAt: null,
  load: async () => {
    set({ loading: true });
    const value = await fetchOrReport('flows/list', {}, 'Loading flows');
    if (value) set({ flows: [...value].sort((a, b) => a.id.localeCompare(b.id)), loadedAt: Date.now() });
    set({ loading: false });
  },
}));

export type FlowFetch = { ok: true; flow: Responses['flows/get'] } | { ok: false; error: string };

/**
 * Saved flows by id (and version), fetched once: the visual view nests child flows with them,
 * the run dialog reads declared params, the execution page reads the step list it ran.
 * `forget` drops an id after a save.
 */
interface FlowDocsState {
  docs: Record<string, FlowFetch | 'loading'>;
  get(id: string, version?: number): Promise<FlowFetch>;
  forget(id: string): void;
}

const keyOf = (id: string, version?: number): string => (version === undefined ? id : `${id}@${version}`);
const inflight = new Map<string, Promise<FlowFetch>>();

export const useFlowDocs = create<FlowDocsState>((set, getState) => ({
  docs: {},
  get: (id, version) => {
    const key = keyOf(id, version);
    const known = getState().docs[key];
    if (known !== undefined && known !== 'loading') return Promise.resolve(known);
    const running = inflight.get(key);
    if (running) return running;
    set((s) => ({ docs: { ...s.docs, [key]: 'loading' } }));
    const p = bridge.invoke('flows/get', version === undefined ? { id } : { id, version }).then((r): FlowFetch => {
      const entry: FlowFetch = r.ok ? { ok: true, flow: r.value } : { ok: false, error: errorText(r.error) };
      inflight.delete(key);
      set((s) => ({ docs: { ...s.docs, [key]: entry } }));
      return entry;
    });
    inflight.set(key, p);
    return p;
  },
  forget: (id) =>
    set((s) => ({ docs: Object.fromEntries(Object.entries(s.docs).filter(([k]) => k !== id && !k.startsWith(`${id}@`))) })),
}));


