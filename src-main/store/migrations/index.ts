import type Database from 'better-sqlite3';
import { FlowdeckError } from '../../../src-shared/errors';
import type { Migration } from './migration';
import { migration001 } from './001-initial';
import { migration002 } from './002-control';
import { migration003 } from './003-open-step-runs';
import { migration004 } from './004-batch-orders';
import { migration005 } from './005-inventory-sources';
import { migration006 } from './006-runners';
import { migration007 } from './007-triggers-webhooks';

export type { Migration } from './migration';

/** Ordered; a migration's number is its `user_version` once applied. Never edit a landed one: add the next. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

export const latestVersion = migrations.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration, all in one transaction; refuses a database from a newer Flowdeck. */
export function migrate(db: Database.Database, target: number = latestVersion): void {
  const current = schemaVersion(db);
  if (current > latestVersion) {
    throw new FlowdeckError(
      'newer-database',
      `this database has schema version ${current}, newer than this Flowdeck understands (${latestVersion}); upgrade Flowdeck or use another --db`,
    );
  }
  if (current >= target) return;
  db.transaction(() => {
    for (const m of migrations) {
      if (m.version <= current || m.version > target) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
