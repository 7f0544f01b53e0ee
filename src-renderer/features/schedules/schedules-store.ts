import { create } from 'zustand';
import type { ScheduleInput, ScheduleView } from '../../../src-shared/domain/schedule';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { inputOfView } from './schedule-input';
import { fetchOrReport } from '../../shell/request';

type SaveResult = { ok: true; view: ScheduleView } | { ok: false; error: string };

/**
 * Every schedule (the Schedules page shows them all, the flow editor's panel filters by flow).
 * Reloaded whenever main says schedules changed, whoever changed them (another window, the CLI
 * through a running console, the scheduler recording a fire).
 */
interface SchedulesState {
  schedules: ScheduleView[];
  loading: boolean;
  loadedAt: number | null;
  load(): Promise<void>;
  save(id: number | null, input: ScheduleInput): Promise<SaveResult>;
  remove(id: number): Promise<string | null>;
  setEnabled(view: ScheduleView, enabled: boolean): Promise<string | null>;
}

const byFlowThenId = (a: ScheduleView, b: ScheduleView): number => a.flow.localeCompare(b.flow) || a.id - b.id;

export const useSchedules = create<SchedulesState>((set, get) => ({
  schedules: [],
  loading: false,
  loadedAt: null,
  load: async () => {
    set({ loading: true });
    const value = await fetchOrReport('schedules/list', {}, 'Loading schedules');
    if (value) set({ schedules: [...value].sort(byFlowThenId), loadedAt: Date.now() });
    set({ loading: false });
  },
  save: async (id, input) => {
    const r = await bridge.invoke('schedules/save', id === null ? { schedule: input } : { id, schedule: input });
    if (!r.ok) return { ok: false, error: errorText(r.error) };
    const view = r.value;
    set({ schedules: [...get().schedules.filter((s) => s.id !== view.id), view].sort(byFlowThenId) });
    return { ok: true, view };
  },
  remove: async (id) => {
    const r = await bridge.invoke('schedules/delete', { id });
    if (!r.ok) return errorText(r.error);
    set({ schedules: get().schedules.filter((s) => s.id !== id) });
    return null;
  },
  setEnabled: async (view, enabled) => {
    const r = await get().save(view.id, { ...inputOfView(view), enabled });
    return r.ok ? null : r.error;
  },
}));

let watchers = 0;
let offChanged: (() => void) | null = null;

/** Keeps the list current while a page that shows it is open; returns the unsubscribe. */
export function watchSchedules(): () => void {
  if (watchers++ === 0) offChanged = bridge.on('schedules/changed', () => void useSchedules.getState().load());
  void useSchedules.getState().load();
  return () => {
    if (--watchers === 0) {
      offChanged?.();
      offChanged = null;
    }
  };
}
