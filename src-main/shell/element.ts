import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { resolveElements } from '../inventory';
import type { Db } from '../store/db';
import { loadInventory } from '../store/inventory-queries';

/** The element as a run sees it (profile, groups and context merged); an unknown id is one line naming it. */
export function findElement(db: Db, id: string): ResolvedElement {
  const element = resolveElements(loadInventory(db)).find((e) => e.id === id);
  if (!element) throw new FlowdeckError('not-found', `unknown element "${id}"`);
  return element;
}
