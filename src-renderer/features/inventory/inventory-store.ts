import { create } from 'zustand';
import type { InventoryDocument, ResolvedElement } from '../../../src-shared/domain/inventory';
import { fetchOrReport } from '../../shell/request';

interface InventoryState {
  /** Effective elements (profile and group values merged), as flows see them. */
  elements: ResolvedElement[];
  /** The stored document: raw elements, groups and profiles, as the editor edits them. */
  document: InventoryDocument | null;
  loading: boolean;
  loadedAt: number | null;
  load(): Promise<void>;
}

export const useInventory = create<InventoryState>((set) => ({
  elements: [],
  document: null,
  loading: false,
  loadedAt: null,
  load: async () => {
    set({ loading: true });
    const value = await fetchOrReport('inventory/list', {}, 'Loading the inventory');
    if (value) set({ elements: value.elements, document: value.document, loadedAt: Date.now() });
    set({ loading: false });
  },
}));

/** Every group name known to the inventory: declared groups and those elements name. */
export function groupNames(elements: ResolvedElement[], document: InventoryDocument | null): string[] {
  const names = new Set<string>();
  for (const g of document?.groups ?? []) names.add(g.name);
  for (const e of elements) for (const g of e.groups) names.add(g);
  return [...names].sort((a, b) => a.localeCompare(b));
}
