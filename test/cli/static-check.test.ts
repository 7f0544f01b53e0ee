import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../support/cli';

/** What can never run is said before anything runs: by validate, import, the dry run and the start. */
describe('template and expression errors are found before a run', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    expect((await ws.run(['flow', 'import', ws.file('ok.yaml', 'id: ok\nname: ok\ntargets: { elements: [box] }\nsteps:\n  - { id: a, run: "echo {{ element.id }}", when: "current === last" }\n')])).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    return lines[0] as string;
  };

  const cases: Array<[string, string, RegExp]> = [
    ['when', 'steps:\n  - id: a\n    run: "true"\n    when: "current ==="\n', /when\.yaml:7:\d+: steps\[0\]\.when: SyntaxError/],
    ['unclosed', 'steps:\n  - id: a\n    run: "echo {{ element.id"\n', /unclosed\.yaml:6:\d+: steps\[0\]\.run: this `\{\{` has no closing `\}\}`/],
    ['slot', 'steps:\n  - id: a\n    run: "echo {{ element.id + }}"\n', /slot\.yaml:6:\d+: steps\[0\]\.run: `\{\{ element\.id \+ \}\}`: SyntaxError/],
    ['heredoc', "steps:\n  - id: a\n    script: |\n      cat <<'EOF'\n      {{ element.id }}\n      EOF\n", /heredoc\.yaml:\d+:\d+: steps\[0\]\.script: .*here-document/i],
    ['python', 'steps:\n  - id: a\n    interpreter: python3\n    script: |\n      print("{{ element.id }}")\n', /python\.yaml:\d+:\d+: steps\[0\]\.script: a value cannot be escaped for a script run by `python3`/],
  ];

  for (const [name, steps, message] of cases) {
    it(`${name}: validate and import refuse it at its line, saving nothing`, async () => {
      const f = ws.file(`${name}.yaml`, `id: ${name}\nname: ${name}\ntargets: { elements: [box] }\n${steps}`);
      const v = await ws.run(['flow', 'validate', f]);
      expect(v.code).toBe(1);
      expect(oneLine(v.stderr)).toMatch(message);
      const i = await ws.run(['flow', 'import', f]);
      expect(i.code).toBe(1);
      expect(oneLine(i.stderr)).toMatch(message);
      expect((await ws.json<Array<{ id: string }>>(['flow', 'list', '--json'])).map((x) => x.id)).toEqual(['ok']);
    });
  }

  it('a stored flow that cannot run (edited in the database) fails in the dry run and at start, with no execution', async () => {
    const db = new Database(ws.db);
    const row = db.prepare("SELECT document FROM flow_versions WHERE flow_id = 'ok'").get() as { document: string };
    const doc = JSON.parse(row.document) as { steps: Array<{ when?: string }> };
    (doc.steps[0] as { when?: string }).when = 'current ===';
    db.prepare("UPDATE flow_versions SET document = ? WHERE flow_id = 'ok'").run(JSON.stringify(doc));
    db.close();
    for (const args of [['run', 'ok', '--dry-run'], ['run', 'ok']]) {
      const r = await ws.run(args);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toMatch(/^flowdeck: flow "ok": steps\[0\]\.when: SyntaxError/);
    }
    expect(await ws.json<unknown[]>(['executions', 'list', '--json'])).toEqual([]);
  });
});
