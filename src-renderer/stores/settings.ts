import { create } from 'zustand';
import type { CredentialInfo } from '../../src-shared/domain/credential';
import type { KnownHostView } from '../../src-shared/ipc/contract';
import { fetchOrReport } from './request';

/** Credentials (names and public facts only: secrets never come back) and known host keys. */
interface SettingsState {
  credentials: CredentialInfo[];
  knownHosts: KnownHostView[];
  loadCredentials(): Promise<void>;
  loadKnownHosts(): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  credentials: [],
  knownHosts: [],
  loadCredentials: async () => {
    const value = await fetchOrReport('credentials/list', {}, 'Loading credentials');
    if (value) set({ credentials: value });
  },
  loadKnownHosts: async () => {
    const value = await fetchOrReport('knownHosts/list', {}, 'Loading known hosts');
    if (value) set({ knownHosts: value });
  },
}));
