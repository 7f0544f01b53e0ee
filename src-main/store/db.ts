import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { claimDatabaseFile, FLOWDECK_APPLICATION_ID } from './db-file';
import { latestVersion, migrate, schemaVersion } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** better-sqlite3 built for another runtime (Electron); see store/native-binding. */
  nativeBinding?: string;
  readonly?: boolean;
}

/**
 * Opens (creating if needed, mode 0600) a Flowdeck database and brings its schema up to date.
 * A file that is not empty and not Flowdeck's is refused before anything is written to it
 * (db-file). WAL lets a second process (another CLI, the console) read while a run writes.
 */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    claimDatabaseFile(path, opts);
  }
  const db = new Database(path, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true } : {}),
  });
  try {
    // A newer Flowdeck's database is refused (by migrate) before the pragmas below write to it.
    if (schemaVersion(db) > latestVersion) migrate(db);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process may hold the write lock for a moment (a run committing a log chunk).
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      migrate(db);
      // A database from before the id was written is stamped now: the file then says it is Flowdeck's.
      if (db.pragma('application_id', { simple: true }) !== FLOWDECK_APPLICATION_ID) db.pragma(`application_id = ${FLOWDECK_APPLICATION_ID}`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
