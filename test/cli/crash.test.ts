import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';

describe('crash safety: kill -9 mid-run', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    ws.file(
      'chatty.yaml',
      `id: chatty
name: chatty
targets: { elements: [box] }
steps:
  - id: talk
    run: i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo "line $i"; sleep 0.05; done
`,
    );
    expect((await ws.run(['flow', 'import', ws.path('chatty.yaml')])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  let interruptedId = 0;

  const committedLines = (): string[] => {
    const db = new Database(ws.db, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT data FROM log_chunks ORDER BY id').all() as Array<{ data: string }>;
      return rows.map((r) => r.data).join('').split('\n').filter(Boolean);
    } finally {
      db.close();
    }
  };

  it('a second CLI sees the live run as running; after kill -9 it reads interrupted with every committed line', async () => {
    const child = ws.spawn(['run', 'chatty']);
    const done = collect(child);
    await waitFor('some log lines committed', () => committedLines().length >= 10);

    const live = await ws.json<Array<{ id: number; status: string }>>(['executions', 'list', '--json']);
    expect(live[0]?.status).toBe('running');
    const id = live[0]?.id as number;
    const shownLive = await ws.json<ExecutionReport>(['executions', 'show', String(id), '--json']);
    expect(shownLive.status).toBe('running');
    expect(shownLive.runs[0]?.status).toBe('running');

    const before = committedLines();
    child.kill('SIGKILL');
    const end = await done;
    expect(end.code).toBeNull();

    const after = await ws.json<ExecutionReport>(['executions', 'show', String(id), '--json']);
    expect(after.status).toBe('interrupted');
    expect(after.runs[0]?.status).toBe('interrupted');
    expect(typeof after.finishedAt).toBe('number');
    const lines = committedLines();
    expect(lines.slice(0, before.length)).toEqual(before);
    lines.forEach((l, i) => expect(l).toBe(`line ${i + 1}`));
    const logs = await ws.run(['logs', String(id), '--raw']);
    expect(logs.stdout.split('\n').filter(Boolean).slice(0, before.length)).toEqual(before);
    interruptedId = id;
  });

  it('an interrupted execution can be resumed: the cut-short step runs again as attempt 2, in the same execution', { timeout: 60_000 }, async () => {
    expect(interruptedId).toBeGreaterThan(0);
    const r = await ws.run(['resume', String(interruptedId), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.id).toBe(interruptedId);
    expect(rep.status).toBe('succeeded');
    expect(rep.runs.map((x) => `${x.step}#${x.attempt}:${x.status}`)).toEqual(['talk#1:interrupted', 'talk#2:succeeded']);
  });
});
