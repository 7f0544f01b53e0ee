import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace, waitFor } from '../support/cli';

/** A YAML alias bomb: ten anchors, each a list of nine aliases of the one before (9^9 values once copied). */
function billionLaughs(): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

describe('hostile files: one line, exit 1, nothing written', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  const files = {
    deep: ws.file('deep.yaml', '['.repeat(900) + '\n'),
    bomb: ws.file('bomb.yaml', billionLaughs()),
    json: ws.file('deep.json', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)),
    selfRef: ws.file('self.yaml', 'id: s\nname: s\nsteps: &s\n  - run: echo\n  - *s\n'),
  };

  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(stderr).not.toMatch(/FATAL|RangeError|call stack|\n\s+at /);
    return lines[0] as string;
  };

  const nothingWritten = async (): Promise<void> => {
    expect(await ws.json<unknown[]>(['flow', 'list', '--json'])).toEqual([]);
    expect((await ws.json<Array<{ id: string }>>(['inventory', 'list', '--json'])).map((e) => e.id)).toEqual(['localhost']);
  };

  const commands = [
    ['inventory', 'import'],
    ['flow', 'import'],
    ['flow', 'validate'],
  ] as const;

  it('900 levels of nesting: refused where level 65 opens, by every reader', async () => {
    for (const cmd of commands) {
      const r = await ws.run([...cmd, files.deep]);
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(1);
      expect(oneLine(r.stderr)).toBe(`flowdeck: ${files.deep}:1:65: lists and mappings are nested deeper than 64 levels; Flowdeck reads at most 64`);
    }
    await nothingWritten();
  });

  it('an alias bomb: refused at the alias that would make it too large', async () => {
    for (const cmd of commands) {
      const r = await ws.run([...cmd, files.bomb]);
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        `flowdeck: ${files.bomb}:6:8: the aliases expand to more than 100000 values (each *name is a copy of what it names); Flowdeck refuses such alias bombs`,
      );
    }
    await nothingWritten();
  });

  it('a JSON document 10,000 levels deep: refused like the YAML one', async () => {
    for (const cmd of commands) {
      const r = await ws.run([...cmd, files.json]);
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(1);
      expect(oneLine(r.stderr)).toBe(`flowdeck: ${files.json}:1:321: lists and mappings are nested deeper than 64 levels; Flowdeck reads at most 64`);
    }
    await nothingWritten();
  });

  it('an alias inside the list it names: refused instead of an endless value', async () => {
    const r = await ws.run(['flow', 'import', files.selfRef]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`flowdeck: ${files.selfRef}:5:5: the alias *s is inside the node it names (&s), which makes an endless value`);
    await nothingWritten();
  });

  it('groups chained thousands deep, or a key of thousands of dots: refused, so no later list or run overflows', async () => {
    const chain = ['[g0]', 'h1 ansible_connection=local'];
    for (let i = 0; i < 20_000; i++) chain.push(`[g${i + 1}:children]`, `g${i}`);
    const ini = ws.file('chain.ini', chain.join('\n') + '\n');
    let r = await ws.run(['inventory', 'import', ini]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`flowdeck: ${ini}:130: making "g63" a child of "g64" nests groups more than 64 levels deep; Flowdeck reads at most 64`);
    const dotted = ws.file('dotted.ini', `[web]\nh1 ansible_connection=local\n[web:vars]\n${Array(20_000).fill('a').join('.')}=1\n`);
    r = await ws.run(['inventory', 'import', dotted]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      `flowdeck: ${dotted}: group "web": vars key "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a...." nests deeper than 64 levels once its dotted parts are expanded; Flowdeck reads at most 64`,
    );
    await nothingWritten();
  });

  it('a file over 16 MiB, or one that never ends, is refused without reading it whole', async () => {
    const big = ws.file('big.yaml', `elements: []\n# ${'x'.repeat(16 * 1024 * 1024)}\n`);
    for (const file of [big, '/dev/zero']) {
      for (const cmd of [commands[0], commands[2]]) {
        const r = await ws.run([...cmd, file]);
        expect(r.code, `${cmd.join(' ')} ${file}: ${r.stderr}`).toBe(1);
        expect(oneLine(r.stderr)).toBe(`flowdeck: ${file}: the file is larger than 16 MiB, the most Flowdeck reads as an inventory or flow file`);
      }
    }
    await nothingWritten();
  });
});

describe('a --db that is not Flowdeck\'s: refused untouched; Flowdeck\'s own database: 0600', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());
  const flow = ws.file('ok.yaml', 'id: ok\nname: ok\nsteps:\n  - { id: a, run: echo ok }\n');
  const hash = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    return lines[0] as string;
  };

  it("another application's SQLite file is refused by reads and writes alike, byte for byte unchanged", async () => {
    for (const wal of [false, true]) {
      const other = ws.path(wal ? 'other-wal.db' : 'other.db');
      const db = new Database(other);
      if (wal) db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE foo (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE bar (x); INSERT INTO foo (v) VALUES ('a'), ('b'), ('c');`);
      db.close();
      const before = hash(other);
      for (const args of [['inventory', 'list'], ['flow', 'import', flow], ['executions', 'list', '--json']]) {
        const r = await ws.run(['--db', other, ...args]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(oneLine(r.stderr)).toBe(`flowdeck: ${other} is not a Flowdeck database (it has tables: bar, foo); nothing was changed`);
        expect(r.stdout).toBe('');
        expect(hash(other)).toBe(before);
        expect(['-wal', '-shm', '-journal'].filter((s) => existsSync(other + s))).toEqual([]);
      }
    }
  });

  it('a text file given as --db is one line naming it', async () => {
    const notes = ws.file('notes.txt', 'not a database\n');
    const r = await ws.run(['--db', notes, 'flow', 'list']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`flowdeck: ${notes} is not a SQLite database (it does not start with "SQLite format 3"); nothing was changed`);
    expect(readFileSync(notes, 'utf8')).toBe('not a database\n');
  });

  it('a new database is 0600, and so are its -wal and -shm while a process has it open', async () => {
    const path = ws.path('fresh.db');
    expect((await ws.run(['--db', path, 'flow', 'import', flow])).code).toBe(0);
    expect(mode(path)).toBe('600');
    const serve = ws.spawn(['--db', path, 'serve', '--port', '0']);
    let out = '';
    serve.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => serve.on('close', (code) => resolve(code)));
    try {
      await waitFor('the console to start', () => /Flowdeck console: http/.test(out));
      await waitFor('the -wal and -shm files', () => existsSync(`${path}-wal`) && existsSync(`${path}-shm`));
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      serve.kill('SIGINT');
      await exited;
    }
  });
});
