import type { Migration } from './migration';

/** The first schema: inventory, credentials, flows with versions, tasks, executions, step runs, logs, labels, schedules. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT,
        port INTEGER,
        user TEXT,
        credential TEXT,
        context TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

      CREATE TABLE groups (
        name TEXT PRIMARY KEY,
        vars TEXT NOT NULL DEFAULT '{}',
        children TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

      CREATE TABLE elements (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER,
        user TEXT,
        transport TEXT NOT NULL CHECK (transport IN ('ssh', 'local')),
        credential TEXT,
        jump TEXT,
        identity_file TEXT,
        host_key_policy TEXT CHECK (host_key_policy IN ('strict', 'accept-new')),
        profile TEXT,
        groups TEXT NOT NULL DEFAULT '[]',
        context TEXT NOT NULL DEFAULT '{}',
        enabled INTEGER NOT NULL DEFAULT 1,
        builtin INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE credentials (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('key', 'password', 'agent')),
        username TEXT,
        -- encrypted at rest; never leaves the main process
        secret BLOB,
        meta TEXT NOT NULL DEFAULT '{}',
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE known_hosts (
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        key_type TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (host, port, key_type)
      ) STRICT;

      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        current_version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE flow_versions (
        flow_id TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (flow_id, version)
      ) STRICT;

      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE executions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flow_id TEXT NOT NULL,
        flow_version INTEGER NOT NULL,
        status TEXT NOT NULL,
        trigger TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        requested_elements TEXT,
        elements TEXT NOT NULL DEFAULT '[]',
        priority INTEGER NOT NULL DEFAULT 0,
        origin_id INTEGER REFERENCES executions(id) ON DELETE SET NULL,
        error TEXT,
        owner_pid INTEGER,
        owner_host TEXT,
        heartbeat_at INTEGER,
        queued_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        FOREIGN KEY (flow_id, flow_version) REFERENCES flow_versions(flow_id, version)
      ) STRICT;
      CREATE INDEX executions_by_status ON executions(status);
      CREATE INDEX executions_by_flow ON executions(flow_id, id);

      CREATE TABLE step_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
        element_id TEXT NOT NULL,
        step_path TEXT NOT NULL,
        kind TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        signal TEXT,
        error TEXT,
        result TEXT,
        started_at INTEGER,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX step_runs_by_execution ON step_runs(execution_id, id);
      CREATE INDEX step_runs_by_element ON step_runs(element_id);

      CREATE TABLE log_chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        step_run_id INTEGER NOT NULL REFERENCES step_runs(id) ON DELETE CASCADE,
        stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr', 'system')),
        ts INTEGER NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX log_chunks_by_run ON log_chunks(step_run_id, id);

      CREATE TABLE labels (
        execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (execution_id, key, value)
      ) STRICT;
      CREATE INDEX labels_by_key ON labels(key, value);

      CREATE TABLE schedules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flow_id TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        cron TEXT NOT NULL,
        timezone TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        enabled INTEGER NOT NULL DEFAULT 1,
        overlap TEXT NOT NULL DEFAULT 'skip' CHECK (overlap IN ('skip', 'queue', 'allow')),
        missed TEXT NOT NULL DEFAULT 'skip' CHECK (missed IN ('skip', 'run-once')),
        missed_window_s INTEGER NOT NULL DEFAULT 3600,
        last_fired_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
    // A newcomer can run a flow before adding any SSH host.
    db.prepare(
      `INSERT INTO elements (id, name, host, transport, groups, context, enabled, builtin, updated_at)
       VALUES ('localhost', 'localhost', 'localhost', 'local', '[]', '{}', 1, 1, ?)`,
    ).run(Date.now());
  },
};
