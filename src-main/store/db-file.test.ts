import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { openDb } from './db';
import { FLOWDECK_APPLICATION_ID } from './db-file';
import { latestVersion, schemaVersion } from './migrations';

const dir = mkdtempSync(join(tmpdir(), 'flowdeck-dbfile-'));
let n = 0;
const fresh = (): string => join(dir, `db${++n}.db`);
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
const hash = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
/** The files beside a database besides itself: -wal, -shm, -journal. */
const companions = (p: string): string[] => ['-wal', '-shm', '-journal'].filter((s) => existsSync(p + s));

/** Another application's database: a table with rows, closed, in rollback-journal or WAL mode. */
function foreignDb(path: string, opts: { wal?: boolean; applicationId?: number } = {}): void {
  const db = new Database(path);
  if (opts.wal) db.pragma('journal_mode = WAL');
  if (opts.applicationId !== undefined) db.pragma(`application_id = ${opts.applicationId}`);
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); CREATE TABLE tags (name TEXT); INSERT INTO notes (body) VALUES ('one'), ('two');`);
  db.close();
}

function refusal(path: string): FlowdeckError {
  try {
    openDb(path).close();
  } catch (e) {
    if (e instanceof FlowdeckError) return e;
    throw e;
  }
  throw new Error(`${path} was opened`);
}

describe('openDb: only an empty file or Flowdeck database, untouched otherwise', () => {
  let umask: number;
  beforeAll(() => {
    // The usual umask, under which a file would be created 0644 unless Flowdeck says otherwise.
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });
  let before: string[];
  beforeEach(() => (before = readdirSync(dir)));
  afterEach(() => {
    // Nothing is left behind in the folder but what the test made itself.
    expect(readdirSync(dir).filter((f) => !before.includes(f) && /-(wal|shm|journal)$/.test(f))).toEqual([]);
  });

  it('creates the database 0600, and SQLite its -wal and -shm with the same mode, stamped as Flowdeck', () => {
    const p = fresh();
    const db = openDb(p);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('x', '1')`).run();
    expect(db.pragma('application_id', { simple: true })).toBe(FLOWDECK_APPLICATION_ID);
    expect([mode(p), mode(`${p}-wal`), mode(`${p}-shm`)]).toEqual(['600', '600', '600']);
    db.close();
    expect(mode(p)).toBe('600');
  });

  it('tightens an existing Flowdeck database that group or others can read', () => {
    const p = fresh();
    openDb(p).close();
    chmodSync(p, 0o644);
    const db = openDb(p);
    expect(mode(p)).toBe('600');
    expect(mode(`${p}-wal`)).toBe('600');
    db.close();
  });

  it('takes an empty file and an empty SQLite database', () => {
    const empty = fresh();
    writeFileSync(empty, '');
    openDb(empty).close();
    expect(mode(empty)).toBe('600');
    const blank = fresh();
    const raw = new Database(blank);
    raw.exec('VACUUM');
    raw.close();
    expect(statSync(blank).size).toBeGreaterThan(0);
    const db = openDb(blank);
    expect(schemaVersion(db)).toBe(latestVersion);
    db.close();
  });

  it('takes a database of an earlier Flowdeck (no application id yet) and stamps it, keeping its data', () => {
    const p = fresh();
    const first = openDb(p);
    first.prepare(`INSERT INTO settings (key, value) VALUES ('kept', '"yes"')`).run();
    first.pragma('application_id = 0');
    first.close();
    const again = openDb(p);
    expect(again.pragma('application_id', { simple: true })).toBe(FLOWDECK_APPLICATION_ID);
    expect(again.prepare(`SELECT value FROM settings WHERE key = 'kept'`).get()).toEqual({ value: '"yes"' });
    again.close();
  });

  for (const wal of [false, true]) {
    it(`refuses another application's database (${wal ? 'WAL' : 'rollback journal'}) and changes no byte of it`, () => {
      const p = fresh();
      foreignDb(p, { wal });
      const sum = hash(p);
      const stat = statSync(p);
      const e = refusal(p);
      expect(e.message).toBe(`${p} is not a Flowdeck database (it has tables: notes, tags); nothing was changed`);
      expect(hash(p)).toBe(sum);
      expect(statSync(p).mtimeMs).toBe(stat.mtimeMs);
      expect(mode(p)).toBe((stat.mode & 0o777).toString(8));
      expect(companions(p)).toEqual([]);
    });
  }

  it('refuses a database that carries another application id without opening it', () => {
    const p = fresh();
    foreignDb(p, { applicationId: 0x0f055112 });
    const sum = hash(p);
    expect(refusal(p).message).toBe(`${p} is not a Flowdeck database (it carries another application's id, application_id 0x0f055112); nothing was changed`);
    expect(hash(p)).toBe(sum);
  });

  it('refuses a database with Flowdeck-like tables but no Flowdeck schema version', () => {
    const p = fresh();
    const raw = new Database(p);
    raw.exec('CREATE TABLE elements (x); CREATE TABLE flows (y)');
    raw.close();
    const sum = hash(p);
    expect(refusal(p).message).toBe(`${p} is not a Flowdeck database (it has tables: elements, flows); nothing was changed`);
    expect(hash(p)).toBe(sum);
  });

  it('refuses a text file and a folder, naming the path', () => {
    const text = fresh();
    writeFileSync(text, 'hosts:\n  - web1\n');
    expect(refusal(text).message).toBe(`${text} is not a SQLite database (it does not start with "SQLite format 3"); nothing was changed`);
    expect(readFileSync(text, 'utf8')).toBe('hosts:\n  - web1\n');
    const folder = fresh();
    mkdirSync(folder);
    expect(refusal(folder).message).toBe(`${folder} is a directory, not a database file; nothing was changed`);
  });

  it('refuses a newer Flowdeck database before writing to it', () => {
    const p = fresh();
    const raw = new Database(p);
    raw.pragma(`application_id = ${FLOWDECK_APPLICATION_ID}`);
    raw.pragma(`user_version = ${latestVersion + 1}`);
    raw.close();
    const sum = hash(p);
    const e = refusal(p);
    expect(e.code).toBe('newer-database');
    expect(hash(p)).toBe(sum);
  });
});
