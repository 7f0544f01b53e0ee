import type { Migration } from './migration';

/**
 * Which imported file said what. Each file (by absolute path, or the name an upload gave it) is a
 * source; its rows hold what it said: the elements it lists with the settings it states, their
 * group memberships, the groups it declares with their children, connection settings and
 * priority, and its variables, each row owned by the source. A second file then adds to the
 * first, and re-importing a file replaces only that file's rows. `import_snapshot` keeps what all
 * the files together gave each element, group and profile at the last import, so a stored value
 * that differs from it is known to be a hand edit. A source's id orders precedence: the file
 * imported first is lowest, as the first `-i` is in Ansible.
 */
export const migration005: Migration = {
  version: 5,
  name: 'inventory-sources',
  up(db) {
    db.exec(`
      CREATE TABLE inventory_sources (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT NOT NULL UNIQUE,
        format      TEXT NOT NULL,
        ansible     INTEGER NOT NULL CHECK (ansible IN (0, 1)),
        imported_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE source_elements (
        source_id  INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        element_id TEXT NOT NULL,
        position   INTEGER NOT NULL,
        fields     TEXT NOT NULL,
        PRIMARY KEY (source_id, element_id)
      ) STRICT;
      CREATE TABLE source_memberships (
        source_id  INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        element_id TEXT NOT NULL,
        group_name TEXT NOT NULL,
        position   INTEGER NOT NULL,
        PRIMARY KEY (source_id, element_id, group_name)
      ) STRICT;
      CREATE INDEX source_memberships_element ON source_memberships(element_id);
      CREATE TABLE source_groups (
        source_id  INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        group_name TEXT NOT NULL,
        position   INTEGER NOT NULL,
        conn       TEXT NOT NULL,
        priority   INTEGER,
        PRIMARY KEY (source_id, group_name)
      ) STRICT;
      CREATE TABLE source_children (
        source_id INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        parent    TEXT NOT NULL,
        child     TEXT NOT NULL,
        position  INTEGER NOT NULL,
        PRIMARY KEY (source_id, parent, child)
      ) STRICT;
      CREATE TABLE source_profiles (
        source_id  INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        profile_id TEXT NOT NULL,
        position   INTEGER NOT NULL,
        fields     TEXT NOT NULL,
        PRIMARY KEY (source_id, profile_id)
      ) STRICT;
      CREATE TABLE source_vars (
        source_id  INTEGER NOT NULL REFERENCES inventory_sources(id) ON DELETE CASCADE,
        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('element', 'group', 'profile')),
        owner      TEXT NOT NULL,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL,
        position   INTEGER NOT NULL,
        PRIMARY KEY (source_id, owner_kind, owner, key)
      ) STRICT;
      CREATE INDEX source_vars_owner ON source_vars(owner_kind, owner);
      CREATE TABLE import_snapshot (
        kind  TEXT NOT NULL CHECK (kind IN ('element', 'group', 'profile')),
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      ) STRICT;
    `);
  },
};
