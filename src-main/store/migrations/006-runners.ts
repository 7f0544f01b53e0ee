import type { Migration } from './migration';

/**
 * Runners: an element's `zone` says which runners run its commands (none: this process does),
 * and a step run keeps the name of the runner that ran it, so the record says where a command
 * ran when several machines share the work.
 */
export const migration006: Migration = {
  version: 6,
  name: 'runners',
  up(db) {
    db.exec(`
      ALTER TABLE elements ADD COLUMN zone TEXT;
      ALTER TABLE step_runs ADD COLUMN runner TEXT;
    `);
  },
};
