// What one imported file says, kept apart from what other files and the operator say, so a
// second file adds to the first instead of replacing it and a re-import can take back exactly
// what its file no longer says.
import type { Element, Group, InventoryDocument, JsonObject, Profile } from '../../src-shared/domain/inventory';

/** The element settings a file can state; a layer holds only those its file stated. */
export type ElementFields = Partial<Pick<Element, 'name' | 'host' | 'port' | 'user' | 'transport' | 'credential' | 'jump' | 'identityFile' | 'hostKeyPolicy' | 'profile' | 'zone' | 'enabled'>>;

/** Connection settings a group gives its members (Ansible's `ansible_user` in `[web:vars]`). */
export type ConnectionFields = Partial<Pick<Element, 'host' | 'port' | 'user' | 'identityFile' | 'transport' | 'zone'>>;

export interface LayerElement {
  id: string;
  fields: ElementFields;
  /** The groups the file lists the element in, directly. */
  groups: string[];
  /** Its own variables (Ansible host vars). */
  context: JsonObject;
}

export interface LayerGroup {
  name: string;
  vars: JsonObject;
  children: string[];
  conn: ConnectionFields;
  /** Ansible's `ansible_group_priority`: orders groups of the same depth (default 1). */
  priority?: number;
}

export interface SourceLayer {
  /**
   * Ansible semantics: members get their groups' connection settings, and their group list in
   * Ansible's precedence order (by depth, priority, name, `all` first, ancestors included).
   */
  ansible: boolean;
  elements: LayerElement[];
  groups: LayerGroup[];
  profiles: Profile[];
}

/** A layer of a format without Ansible's rules (Flowdeck YAML, ssh config): it says what it holds. */
export function layerFromDocument(doc: InventoryDocument): SourceLayer {
  return {
    ansible: false,
    profiles: doc.profiles,
    groups: doc.groups.map((g: Group) => ({ name: g.name, vars: g.vars, children: g.children, conn: {} })),
    elements: doc.elements.map((e) => {
      const fields: ElementFields = { host: e.host };
      // Defaults a reader fills in are not statements: they must not override another file.
      if (e.name !== e.id) fields.name = e.name;
      if (e.transport !== 'ssh') fields.transport = e.transport;
      if (!e.enabled) fields.enabled = false;
      for (const k of ['port', 'user', 'credential', 'jump', 'identityFile', 'hostKeyPolicy', 'profile', 'zone'] as const) {
        if (e[k] !== undefined) (fields as Record<string, unknown>)[k] = e[k];
      }
      return { id: e.id, fields, groups: e.groups, context: e.context };
    }),
  };
}
