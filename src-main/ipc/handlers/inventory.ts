import { homedir } from 'node:os';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { mergeInventory, parseInventory, resolveElements } from '../../inventory';
import { deleteElement, loadInventory, saveInventory, upsertElement } from '../../store/inventory-queries';
import type { EngineRuntime } from '../../engine/runtime';

export type InventoryHandlers = Pick<Handlers, 'inventory/list' | 'inventory/import' | 'inventory/saveElement' | 'inventory/deleteElement'>;

/** The inventory page: the stored document, the effective elements, imports as the CLI does them. */
export function inventoryHandlers(rt: EngineRuntime): InventoryHandlers {
  return {
    'inventory/list': async () => {
      const document = loadInventory(rt.db);
      return { elements: resolveElements(document), document };
    },

    'inventory/import': async ({ fileName, text }) => {
      // Parsed before anything is written: a bad file leaves the inventory as it was.
      const incoming = parseInventory(text, fileName, undefined, { home: homedir() });
      const merged = mergeInventory(loadInventory(rt.db), incoming);
      saveInventory(rt.db, merged.doc);
      return { added: merged.added, updated: merged.updated, unchanged: merged.unchanged };
    },

    'inventory/saveElement': async ({ element }) => {
      upsertElement(rt.db, element);
      return { id: element.id };
    },

    'inventory/deleteElement': async ({ id }) => ({ deleted: deleteElement(rt.db, id) }),
  };
}
