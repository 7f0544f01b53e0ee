import { homedir } from 'node:os';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { parseInventorySource, resolveElements } from '../../inventory';
import { deleteElement, loadInventory, upsertElement } from '../../store/inventory-queries';
import { importInventoryFiles } from '../../store/inventory-source-queries';
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
      // Parsed before anything is written: a bad file leaves the inventory as it was. An upload is
      // known by its file name, so uploading it again replaces what it said before.
      const parsed = parseInventorySource(text, fileName, undefined, { home: homedir() });
      const r = importInventoryFiles(rt.db, [{ source: fileName, ...parsed }]);
      return { added: r.added, updated: r.updated, unchanged: r.unchanged };
    },

    'inventory/saveElement': async ({ element }) => {
      upsertElement(rt.db, element);
      return { id: element.id };
    },

    'inventory/deleteElement': async ({ id }) => ({ deleted: deleteElement(rt.db, id) }),
  };
}
