// What a database path holds before Flowdeck writes to it: nothing yet, Flowdeck's database, or
// a file that belongs to someone else. `--db` may point anywhere; opening another application's
// SQLite file the ordinary way would already change it (WAL mode is written into its header,
// migrations add tables), so the file is looked at first, in ways that write nothing, and refused
// untouched unless it is empty or Flowdeck's. The database holds host names, commands and their
// output: it is made readable by its owner only, as the secret key file is.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fchmodSync, openSync, readSync, statSync } from 'node:fs';
import { FlowdeckError } from '../../src-shared/errors';

/**
 * SQLite's application_id for Flowdeck's database ("Fdck"), written into the file header on the
 * first open, so the file says whose it is (`file` and sqlite3 show it too).
 */
export const FLOWDECK_APPLICATION_ID = 0x4664636b;

/**
 * The tables of Flowdeck's first schema: a database made before the application id was written
 * (application_id 0, user_version 1 or more) is recognised as Flowdeck's by having all of them.
 */
const FIRST_SCHEMA_TABLES: readonly string[] = [
  'credentials',
  'elements',
  'executions',
  'flow_versions',
  'flows',
  'groups',
  'known_hosts',
  'labels',
  'log_chunks',
  'profiles',
  'schedules',
  'settings',
  'step_runs',
  'tasks',
];

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_SIZE = 100;
/** Offsets in the database header (sqlite.org/fileformat.html): file format write version (2: WAL), application_id. */
const WRITE_VERSION = 18;
const APPLICATION_ID = 68;

export interface DbFileOptions {
  nativeBinding?: string;
  readonly?: boolean;
}

function refused(path: string, why: string): FlowdeckError {
  return new FlowdeckError('invalid-input', `${path} ${why}; nothing was changed`);
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_SIZE);
    const n = readSync(fd, buf, 0, HEADER_SIZE, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Creates the database file, empty and private, before SQLite writes a byte; false when it exists already. */
function createPrivate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FlowdeckError('invalid-input', `cannot create the database ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    // The umask may have taken bits away; SQLite gives its -wal and -shm files the mode of this one.
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The database and its -wal/-shm files readable by their owner only. Only files this user owns
 * are changed (nobody else may chmod them), and not on Windows, where modes mean something else.
 */
function tightenDatabaseModes(path: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // -wal and -shm exist only while a connection is open
    }
    if (st.uid === uid && (st.mode & 0o077) !== 0) chmodSync(p, 0o600);
  }
}

interface Inspection {
  applicationId: number;
  userVersion: number;
  tables: string[];
  objects: number;
}

/**
 * Reads the schema without writing anything. A read-only connection writes nothing to a
 * database in rollback-journal mode, nor to one in WAL mode whose -wal file exists (another
 * process has it open); but on a WAL-mode database with no -wal it would leave new -wal and -shm
 * files behind, so there a read-write connection reads, and, being the last to close, removes
 * the files it made. Either way only reads are run.
 */
function inspect(path: string, header: Buffer, opts: DbFileOptions): Inspection {
  const walMode = header[WRITE_VERSION] === 2;
  const readonly = !walMode || existsSync(`${path}-wal`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
    const rows = db.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ type: string; name: string }>;
    return {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      userVersion: db.pragma('user_version', { simple: true }) as number,
      tables: rows.filter((r) => r.type === 'table').map((r) => r.name),
      objects: rows.length,
    };
  } catch (e) {
    throw refused(path, `cannot be read as a SQLite database (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    db?.close();
  }
}

function hexId(id: number): string {
  return `application_id 0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

/**
 * Makes sure `path` may be opened as Flowdeck's database, changing nothing when it may not:
 * creates it (mode 0600) when missing; accepts an empty file, an empty SQLite database, one with
 * Flowdeck's application id, and one from an earlier Flowdeck (user_version 1 or more and the
 * first schema's tables), whose id openDb then writes; refuses anything else with
 * one line naming the path. A Flowdeck database readable by group or others is made 0600.
 */
export function claimDatabaseFile(path: string, opts: DbFileOptions = {}): void {
  if (!opts.readonly && createPrivate(path)) return;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new FlowdeckError('not-found', `cannot open the database ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!st.isFile()) throw refused(path, st.isDirectory() ? 'is a directory, not a database file' : 'is not a regular file');
  if (st.size === 0) {
    tightenDatabaseModes(path);
    return;
  }
  let header: Buffer;
  try {
    header = readHeader(path);
  } catch (e) {
    throw new FlowdeckError('invalid-input', `cannot read the database ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (header.length < HEADER_SIZE || !header.subarray(0, HEADER.length).equals(HEADER)) {
    throw refused(path, 'is not a SQLite database (it does not start with "SQLite format 3")');
  }
  // In WAL mode the header on disk may be older than the last commits: a zero here is asked again below.
  const headerId = header.readInt32BE(APPLICATION_ID);
  if (headerId === FLOWDECK_APPLICATION_ID) {
    tightenDatabaseModes(path);
    return;
  }
  if (headerId !== 0) throw refused(path, `is not a Flowdeck database (it carries another application's id, ${hexId(headerId)})`);
  const found = inspect(path, header, opts);
  if (found.applicationId === FLOWDECK_APPLICATION_ID) {
    tightenDatabaseModes(path);
    return;
  }
  if (found.applicationId !== 0) throw refused(path, `is not a Flowdeck database (it carries another application's id, ${hexId(found.applicationId)})`);
  const empty = found.objects === 0 && found.userVersion === 0;
  const earlierFlowdeck = found.userVersion >= 1 && FIRST_SCHEMA_TABLES.every((t) => found.tables.includes(t));
  if (empty || earlierFlowdeck) {
    tightenDatabaseModes(path);
    return;
  }
  if (found.tables.length > 0) throw refused(path, `is not a Flowdeck database (it has tables: ${listed(found.tables)})`);
  throw refused(path, `is not a Flowdeck database (it has no tables, but user_version ${found.userVersion} or other schema objects)`);
}
