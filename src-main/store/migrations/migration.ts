import type Database from 'better-sqlite3';

/** One numbered schema change; its number is the database's `user_version` once applied. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
