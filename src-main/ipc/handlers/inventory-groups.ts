import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { resolveElements } from '../../inventory';
import { deleteGroup, deleteProfile, groupUsers, loadInventory, profileUsers, upsertGroup, upsertProfile } from '../../store/inventory-queries';
import type { EngineRuntime } from '../../engine/runtime';
import { getCredentialInfo } from '../../store/credential-queries';

export type InventoryGroupHandlers = Pick<Handlers, 'inventory/saveGroup' | 'inventory/deleteGroup' | 'inventory/saveProfile' | 'inventory/deleteProfile'>;

const list = (ids: string[]): string => (ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', '));

/** A path of `:children` edges from `start` back to itself, if there is one. */
function cycleThrough(start: string, children: Map<string, string[]>): string[] | null {
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): string[] | null => {
    for (const c of children.get(name) ?? []) {
      if (c === start) return [...path, c];
      if (seen.has(c)) continue;
      seen.add(c);
      const found = walk(c, [...path, c]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

/**
 * Groups and profiles from the inventory page. A save is checked by resolving the whole
 * inventory with it (a group that would contain itself is refused before it is stored);
 * a delete is refused while something still uses it, so no element silently loses context.
 */
export function inventoryGroupHandlers(rt: EngineRuntime): InventoryGroupHandlers {
  return {
    'inventory/saveGroup': async ({ group }) => {
      const doc = loadInventory(rt.db);
      for (const child of group.children) {
        if (child === group.name) throw new FlowdeckError('cycle', `group "${group.name}" cannot be its own child`);
        if (!doc.groups.some((g) => g.name === child)) throw new FlowdeckError('not-found', `group "${group.name}": unknown child group "${child}"`);
      }
      const groups = [...doc.groups.filter((g) => g.name !== group.name), group];
      const loop = cycleThrough(group.name, new Map(groups.map((g) => [g.name, g.children])));
      if (loop) throw new FlowdeckError('cycle', `group "${group.name}" would contain itself: ${loop.join(' -> ')}`);
      resolveElements({ ...doc, groups });
      upsertGroup(rt.db, group);
      return { name: group.name };
    },

    'inventory/deleteGroup': async ({ name }) => {
      const users = groupUsers(rt.db, name);
      if (users.elements.length > 0) throw new FlowdeckError('conflict', `group "${name}" still has elements: ${list(users.elements)}; take them out of it first`);
      if (users.groups.length > 0) throw new FlowdeckError('conflict', `group "${name}" is a child of ${list(users.groups)}; remove it there first`);
      return { deleted: deleteGroup(rt.db, name) };
    },

    'inventory/saveProfile': async ({ profile }) => {
      if (profile.credential !== undefined && !getCredentialInfo(rt.db, profile.credential)) {
        throw new FlowdeckError('not-found', `profile "${profile.id}": unknown credential "${profile.credential}"`);
      }
      upsertProfile(rt.db, profile);
      return { id: profile.id };
    },

    'inventory/deleteProfile': async ({ id }) => {
      const users = profileUsers(rt.db, id);
      if (users.length > 0) throw new FlowdeckError('conflict', `profile "${id}" is used by ${list(users)}; give them another profile first`);
      return { deleted: deleteProfile(rt.db, id) };
    },
  };
}
