import { create } from 'zustand';
import type { CredentialInfo } from '../../../src-shared/domain/credential';
import type { KnownHostView, RequestOf, SettingsView } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { fetchOrReport } from '../../shell/request';

/** Credentials (names and public facts only: secrets never come back), known host keys, retention and limits. */
interface SettingsState {
  credentials: CredentialInfo[];
  knownHosts: KnownHostView[];
  /** Retention and limits; null until loaded. */
  view: SettingsView | null;
  loadCredentials(): Promise<void>;
  loadKnownHosts(): Promise<void>;
  loadView(): Promise<void>;
  /** The saved view, or the error in words (the form shows it at its place). */
  saveView(change: RequestOf<'settings/save'>): Promise<{ ok: true; view: SettingsView } | { ok: false; error: string }>;
}

export const useSettings = create<SettingsState>((set) => ({
  credentials: [],
  knownHosts: [],
  view: null,
  loadCredentials: async () => {
    const value = await fetchOrReport('credentials/list', {}, 'Loading credentials');
    if (value) set({ credentials: value });
  },
  loadKnownHosts: async () => {
    const value = await fetchOrReport('knownHosts/list', {}, 'Loading known hosts');
    if (value) set({ knownHosts: value });
  },
  loadView: async () => {
    const value = await fetchOrReport('settings/get', {}, 'Loading settings');
    if (value) set({ view: value });
  },
  saveView: async (change) => {
    const r = await bridge.invoke('settings/save', change);
    if (!r.ok) return { ok: false, error: errorText(r.error) };
    set({ view: r.value });
    return { ok: true, view: r.value };
  },
}));
