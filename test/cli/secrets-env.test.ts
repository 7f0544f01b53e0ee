// Secrets and the environment of steps, through the CLI as a process: a local step never sees
// Flowdeck's own variables (the master key above all), and whatever a step prints of the
// master key or of a stored credential is `***` in every place the log goes: `flowdeck logs`,
// `run --json` and the rows of the SQLite file.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';

const PASSWORD = 'correct-horse-battery-staple-42';

/** Every column of every row one execution wrote: its log chunks, its step runs, its own row. */
function rawRows(db: string, id: number): string {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const queries = [
      'SELECT c.* FROM log_chunks c JOIN step_runs r ON r.id = c.step_run_id WHERE r.execution_id = ?',
      'SELECT * FROM step_runs WHERE execution_id = ?',
      'SELECT * FROM executions WHERE id = ?',
    ];
    return queries.map((q) => JSON.stringify(conn.prepare(q).all(id))).join('\n');
  } finally {
    conn.close();
  }
}

/** What the log would show of raw key bytes: the output is decoded as UTF-8, bad bytes as U+FFFD. */
const asLogText = (bytes: Buffer): string => new TextDecoder().decode(bytes);

async function setUp(ws: Workspace, flows: Record<string, string>): Promise<void> {
  ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
  expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
  const cred = await ws.run(['credential', 'add', 'db-pw', '--password-env', 'DB_PW'], { DB_PW: PASSWORD });
  expect(cred.code, cred.stderr).toBe(0);
  for (const [id, steps] of Object.entries(flows)) {
    const r = await ws.run(['flow', 'import', ws.file(`${id}.yaml`, `id: ${id}\nname: ${id}\ntargets: { elements: [box] }\nsteps:\n${steps}`)]);
    expect(r.code, r.stderr).toBe(0);
  }
}

async function runAndRead(ws: Workspace, flow: string): Promise<{ rep: ExecutionReport; json: string; logs: string; raw: string }> {
  const r = await ws.run(['run', flow, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const rep = JSON.parse(r.stdout) as ExecutionReport;
  const logs = await ws.run(['logs', String(rep.id), '--raw']);
  expect(logs.code, logs.stderr).toBe(0);
  return { rep, json: r.stdout + r.stderr, logs: logs.stdout, raw: rawRows(ws.db, rep.id) };
}

describe('the master key from FLOWDECK_SECRET_KEY', () => {
  const ws = new Workspace();
  const key = randomBytes(32);
  const keyText = key.toString('base64');
  beforeAll(async () => {
    ws.env = { FLOWDECK_SECRET_KEY: keyText };
    ws.file('key.txt', keyText + '\n');
    await setUp(ws, {
      'show-env': `  - id: show
    run: 'echo "key=$FLOWDECK_SECRET_KEY"; echo "db=$FLOWDECK_DB"; echo ---; env; echo ---'
    env: { FLOWDECK_GIVEN: deliberately }
`,
      'print-key': `  - id: text
    run: cat key.txt
  - id: bytes
    run: base64 -d key.txt; echo
  - id: hex
    run: base64 -d key.txt | od -An -v -tx1 | tr -d ' \\n'; echo
`,
    });
  }, 60_000);
  afterAll(() => ws.dispose());

  it('a local step gets the operator environment without any FLOWDECK_ variable, except one the step sets itself', async () => {
    const { logs, raw, json } = await runAndRead(ws, 'show-env');
    expect(logs).toContain('key=\n');
    expect(logs).toContain('db=\n');
    const env = logs.split('---\n')[1] ?? '';
    const names = env.split('\n').map((l) => l.split('=')[0]);
    expect(names.filter((n) => n?.startsWith('FLOWDECK_'))).toEqual(['FLOWDECK_GIVEN']);
    // What a shell needs is still there.
    expect(names).toContain('PATH');
    expect(names).toContain('HOME');
    for (const text of [logs, raw, json]) expect(text).not.toContain(keyText);
  });

  it('the key a step prints is *** as the variable gives it, as raw bytes and as hex, in the logs, run --json and the SQLite rows', async () => {
    const { rep, logs, raw, json } = await runAndRead(ws, 'print-key');
    expect(rep.status).toBe('succeeded');
    const forms = [keyText, asLogText(key), key.toString('hex')];
    for (const text of [logs, raw, json]) for (const form of forms) expect(text).not.toContain(form);
    expect(logs.split('\n').filter((l) => l === '***')).toHaveLength(3);
  });
});

describe('the master key from the key file beside the database', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    await setUp(ws, { 'cat-key': '  - id: cat\n    run: cat secret.key\n' });
  }, 60_000);
  afterAll(() => ws.dispose());

  it('a step that prints secret.key shows ***', async () => {
    const keyText = readFileSync(ws.path('secret.key'), 'utf8').trim();
    expect(keyText).toHaveLength(44);
    const { logs, raw } = await runAndRead(ws, 'cat-key');
    expect(logs).toBe('***\n');
    expect(raw).not.toContain(keyText);
  });
});

describe('a stored credential printed in pieces', () => {
  const ws = new Workspace();
  const half = PASSWORD.length >> 1;
  const [head, tail] = [PASSWORD.slice(0, half), PASSWORD.slice(half)];
  beforeAll(async () => {
    await setUp(ws, {
      'split-streams': `  - id: split
    run: |
      printf 'pw: %s' '${head}'; printf '%s\\n' '${tail}' >&2
`,
      'two-writes': `  - id: pause
    run: |
      printf 'pw: %s' '${head}'; sleep 0.6; printf '%s\\n' '${tail}'
`,
      'reversed-streams': `  - id: back
    run: |
      printf '%s' '${head}' >&2; sleep 0.3; printf '%s\\n' '${tail}'
`,
    });
  }, 60_000);
  afterAll(() => ws.dispose());

  /** Every 5-character piece of the password that shows anywhere (4 would find "atte" in the column name "attempt"). */
  const piecesIn = (text: string): string[] => {
    const found: string[] = [];
    for (let i = 0; i + 5 <= PASSWORD.length; i++) if (text.includes(PASSWORD.slice(i, i + 5))) found.push(PASSWORD.slice(i, i + 5));
    return found;
  };

  it('half on stdout, half on stderr: ***, not the two halves', async () => {
    const { logs, raw, json } = await runAndRead(ws, 'split-streams');
    expect(logs).toContain('pw: ***');
    for (const text of [logs, raw, json]) expect(piecesIn(text)).toEqual([]);
  });

  it('the first half on stderr, the rest on stdout a moment later: ***', async () => {
    const { logs, raw } = await runAndRead(ws, 'reversed-streams');
    // Each stream shows its part as ***.
    expect(logs.replaceAll('\n', '')).toBe('******');
    for (const text of [logs, raw]) expect(piecesIn(text)).toEqual([]);
  });

  it('two writes with a pause between them (two chunks, a flush in between): ***', async () => {
    const { logs, raw } = await runAndRead(ws, 'two-writes');
    expect(logs).toBe('pw: ***\n');
    for (const text of [logs, raw]) expect(piecesIn(text)).toEqual([]);
  });
});
