import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../src-main/engine/executor';
import { trustHostKey } from '../../src-main/store/known-host-queries';
import { IpcHarness, smallInventory } from './harness';

const processingFlow = (processing: string): string =>
  `id: ordered\nname: ordered\ntargets: { groups: [pg] }\nprocessing: |\n${processing
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\nsteps:\n  - { id: s, run: 'true' }\n`;

describe('every channel through the in-process dispatcher, on the real engine', () => {
  const h = new IpcHarness();
  beforeAll(async () => {
    await h.open();
  });
  afterAll(() => h.close());

  describe('inventory', () => {
    it('imports a Flowdeck YAML inventory, and importing again changes nothing', async () => {
      const first = await h.value('inventory/import', { fileName: 'hosts.yaml', text: smallInventory });
      expect(first.added).toEqual(expect.arrayContaining(['element:pg1', 'element:pg2', 'element:pg3', 'group:pg']));
      expect(first.updated).toEqual([]);
      const again = await h.value('inventory/import', { fileName: 'hosts.yaml', text: smallInventory });
      expect(again.added).toEqual([]);
      expect(again.unchanged).toEqual(expect.arrayContaining(['element:pg1', 'element:pg2', 'element:pg3']));
    });

    it('a broken inventory is a typed error with its line, and writes nothing', async () => {
      const r = await h.call('inventory/import', { fileName: 'bad.yaml', text: 'elements:\n  - { id: x, name: x, host: h, port: 99999 }\n' });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', location: { file: 'bad.yaml', line: 2 } } });
      const list = await h.value('inventory/list', {});
      expect(list.elements.map((e) => e.id)).not.toContain('x');
    });

    it('lists the stored document and the effective elements (group vars merged, built-in localhost there)', async () => {
      const list = await h.value('inventory/list', {});
      expect(list.elements.map((e) => e.id)).toEqual(['localhost', 'pg1', 'pg2', 'pg3']);
      expect(list.elements.find((e) => e.id === 'pg2')?.context).toEqual({ cluster: 'main', role: 'leader' });
      expect(list.document.groups).toEqual([{ name: 'pg', vars: { cluster: 'main' }, children: [] }]);
    });

    it('saves and deletes one element', async () => {
      expect(await h.value('inventory/saveElement', { element: { id: 'web1', name: 'Web 1', host: '10.0.0.5', port: 2222, groups: ['web'] } })).toEqual({ id: 'web1' });
      const saved = (await h.value('inventory/list', {})).elements.find((e) => e.id === 'web1');
      expect(saved).toMatchObject({ host: '10.0.0.5', port: 2222, transport: 'ssh', enabled: true, groups: ['web'] });
      expect(await h.value('inventory/deleteElement', { id: 'web1' })).toEqual({ deleted: true });
      expect(await h.value('inventory/deleteElement', { id: 'web1' })).toEqual({ deleted: false });
    });
  });

  describe('flows', () => {
    it('validate: a YAML error comes back as a problem with line and column, not as an error', async () => {
      const r = await h.value('flows/validate', { source: 'id: broken\nname: [unclosed\nsteps: []\n' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problem.line).toBeGreaterThanOrEqual(2);
      expect(r.problem.column).toBeGreaterThanOrEqual(1);
      expect(r.problem.message).not.toBe('');
    });

    it('validate: a schema error points at the offending key', async () => {
      const r = await h.value('flows/validate', { source: 'id: f\nname: f\nsteps:\n  - { id: a, run: "true" }\n  - { id: b, ruun: "true" }\n' });
      expect(r).toEqual({ ok: false, problem: { message: expect.stringContaining('unknown step kind "ruun"'), line: 5, column: expect.any(Number) } });
    });

    it("validate: a processing script that does not compile is placed at its line in the YAML", async () => {
      const r = await h.value('flows/validate', { source: processingFlow('const a = 1;\nreturn elements.filter(x => x.id ===);') });
      // processing: | is line 4; the script's line 2 is line 6 of the text.
      expect(r).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/SyntaxError/), line: 6 } });
      // Column 39 of `  return elements.filter(x => x.id ===);` is the `)`.
      expect(r.ok === false && r.problem.column).toBe(39);
    });

    it('validate: compiles the processing script but never runs it', async () => {
      // Either would fail if it ran (the sandbox's CPU limit, the throw).
      expect(await h.value('flows/validate', { source: processingFlow('while (true) {}') })).toEqual({ ok: true, flows: ['ordered'], tasks: [] });
      expect(await h.value('flows/validate', { source: processingFlow("throw new Error('it ran')") })).toMatchObject({ ok: true });
    });

    it('validate: a good file lists its flows and tasks, and saves nothing', async () => {
      const r = await h.value('flows/validate', { source: 'id: v1\nname: v1\nsteps:\n  - { run: "true" }\n' });
      expect(r).toEqual({ ok: true, flows: ['v1'], tasks: [] });
      expect((await h.value('flows/list', {})).map((f) => f.id)).not.toContain('v1');
    });

    it('save versions a flow only when it changed; list, get and tasks/list read it back', async () => {
      const v1 = 'id: hello\nname: Hello\nsteps:\n  - { id: greet, task: greet, with: { who: world } }\n---\nkind: task\nid: greet\nname: Greet\nparams: [{ name: who }]\nrun: echo hello {{ params.who }}\n';
      expect(await h.value('flows/save', { source: v1 })).toEqual({ flows: [{ id: 'hello', version: 1, changed: true }], tasks: ['greet'] });
      expect(await h.value('flows/save', { source: v1 })).toEqual({ flows: [{ id: 'hello', version: 1, changed: false }], tasks: ['greet'] });
      const v2 = v1.replace('name: Hello', 'name: Hello again');
      expect((await h.value('flows/save', { source: v2 })).flows).toEqual([{ id: 'hello', version: 2, changed: true }]);
      expect(await h.value('flows/list', {})).toEqual([expect.objectContaining({ id: 'hello', name: 'Hello again', version: 2, mode: 'serial', steps: 1 })]);
      const old = await h.value('flows/get', { id: 'hello', version: 1 });
      expect(old.version).toBe(1);
      expect(old.document.name).toBe('Hello');
      expect(old.source).toContain('name: Hello');
      expect((await h.value('flows/get', { id: 'hello' })).version).toBe(2);
      expect(await h.call('flows/get', { id: 'hello', version: 9 })).toEqual({ ok: false, error: { code: 'not-found', message: 'flow "hello" has no version 9' } });
      expect((await h.value('tasks/list', {})).map((t) => t.id)).toEqual(['greet']);
    });

    it('save refuses a broken file with a located error and stores nothing', async () => {
      const r = await h.call('flows/save', { source: 'id: nope\nname: nope\nsteps:\n  - { id: a, flow: missing-child }\n' });
      expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
      const y = await h.call('flows/save', { source: 'id: nope\nname: : :\n' });
      expect(y).toMatchObject({ ok: false, error: { code: 'invalid-yaml', location: { line: 2 } } });
      expect((await h.value('flows/list', {})).map((f) => f.id)).not.toContain('nope');
    });

    it("preview: the unsaved text's targets in the processing script's order", async () => {
      const r = await h.value('flows/preview', { source: processingFlow("order_flow_elements(elements, x => x.context.role === 'leader' ? 1 : 0, false)") });
      expect(r).toEqual({
        ok: true,
        elements: [
          { id: 'pg1', name: 'pg1', host: 'localhost', groups: ['pg'] },
          { id: 'pg3', name: 'pg3', host: 'localhost', groups: ['pg'] },
          { id: 'pg2', name: 'pg2', host: 'localhost', groups: ['pg'] },
        ],
      });
      // An explicit element list instead of the targets, and params reaching the script.
      const withParams = `id: p\nname: p\nparams: [{ name: first, default: pg1 }]\nprocessing: "return elements.filter(e => e.id !== params.first)"\nsteps:\n  - { run: 'true' }\n`;
      const explicit = await h.value('flows/preview', { source: withParams, elements: ['pg3', 'pg2', 'pg1'], params: { first: 'pg2' } });
      expect(explicit).toMatchObject({ ok: true, elements: [{ id: 'pg3' }, { id: 'pg1' }] });
      expect(await h.value('flows/list', {})).not.toContainEqual(expect.objectContaining({ id: 'ordered' }));
    });

    it('preview: a script error comes back as a problem at its line in the YAML text', async () => {
      const r = await h.value('flows/preview', { source: processingFlow('const a = 1;\nelements.nope.map(x => x);') });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problem.message).toMatch(/ordered\.processing:2:\d+: TypeError/);
      expect(r.problem.line).toBe(6);
      expect(r.problem.column).toBeGreaterThan(2);
      // A one-line quoted script: same line as the key, column shifted past the quote.
      const quoted = await h.value('flows/preview', { source: 'id: q\nname: q\nprocessing: "elements.nope.map(x => x)"\nsteps:\n  - { run: "true" }\n' });
      expect(quoted).toMatchObject({ ok: false, problem: { line: 3, column: expect.any(Number) } });
    });

    it('preview: YAML errors, unknown elements and endless loops are problems too', async () => {
      expect(await h.value('flows/preview', { source: 'id: [\n' })).toMatchObject({ ok: false, problem: { line: expect.any(Number) } });
      expect(await h.value('flows/preview', { source: processingFlow('return elements'), elements: ['ghost'] })).toEqual({ ok: false, problem: { message: 'unknown element "ghost"' } });
      const loop = await h.value('flows/preview', { source: processingFlow('while (true) {}') });
      expect(loop).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/endless loop/), line: 4 } });
    });
  });

  describe('runs and executions', () => {
    let executionId = 0;

    it('plan: the dry run, element by step, touching nothing', async () => {
      await h.value('flows/save', { source: processingFlow("order_flow_elements(elements, x => x.context.role === 'leader' ? 1 : 0, false)") });
      const plan = await h.value('runs/plan', { flow: 'ordered' });
      expect(plan).toEqual({
        flow: 'ordered',
        version: 1,
        mode: 'serial',
        elements: ['pg1', 'pg3', 'pg2'],
        waves: [[{ element: 'pg1', step: 's', kind: 'run' }], [{ element: 'pg3', step: 's', kind: 'run' }], [{ element: 'pg2', step: 's', kind: 'run' }]],
        notes: [],
      });
      expect(await h.value('executions/list', {})).toEqual([]);
      expect(await h.call('runs/plan', { flow: 'ghost' })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown flow "ghost"' } });
    });

    it('start runs on the built-in localhost; get follows it to succeeded', async () => {
      await h.value('flows/save', { source: "id: hi\nname: hi\ntargets: { elements: [localhost] }\nsteps:\n  - { id: say, run: 'echo hello from flowdeck' }\n  - { id: big, run: 'seq 1 40000' }\n" });
      const { id } = await h.value('runs/start', { flow: 'hi', labels: { ticket: 'OPS-1', env: ['dev', 'test'] } });
      executionId = id;
      expect(id).toBeGreaterThan(0);
      const ex = await h.waitFinished(id);
      expect(ex).toMatchObject({ id, flow: 'hi', flowVersion: 1, status: 'succeeded', trigger: 'manual', elements: ['localhost'] });
      expect(ex.summary).toMatchObject({ id, labels: { ticket: ['OPS-1'], env: ['dev', 'test'] }, pauseRequested: false, pendingApprovals: 0, originId: null });
      expect(ex.runs.map((r) => [r.element, r.step, r.status, r.exitCode])).toEqual([
        ['localhost', 'say', 'succeeded', 0],
        ['localhost', 'big', 'succeeded', 0],
      ]);
      expect(ex.stepRuns.map((r) => ({ id: typeof r.id, executionId: r.executionId, step: r.step }))).toEqual([
        { id: 'number', executionId: id, step: 'say' },
        { id: 'number', executionId: id, step: 'big' },
      ]);
      expect(await h.call('executions/get', { id: 99_999 })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown execution 99999' } });
    });

    it('start refuses a bad request before writing anything', async () => {
      const before = (await h.value('executions/list', {})).length;
      expect(await h.call('runs/start', { flow: 'hi', elements: ['ghost'] })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown element "ghost"' } });
      expect(await h.call('runs/start', { flow: 'hi', params: { nope: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(await h.value('executions/list', {})).toHaveLength(before);
    });

    it('list filters by flow, status, element and label', async () => {
      expect((await h.value('executions/list', { flow: 'hi' })).map((e) => e.id)).toEqual([executionId]);
      expect(await h.value('executions/list', { flow: 'ordered' })).toEqual([]);
      expect((await h.value('executions/list', { status: 'succeeded', element: 'localhost' })).map((e) => e.id)).toEqual([executionId]);
      expect((await h.value('executions/list', { label: { key: 'env', value: 'test' } })).map((e) => e.id)).toEqual([executionId]);
      expect(await h.value('executions/list', { label: { key: 'env', value: 'prod' } })).toEqual([]);
      expect(await h.value('executions/list', { since: Date.now() + 60_000 })).toEqual([]);
    });

    it('log pages a step run oldest first, `last` as the cursor, `done` at the end', async () => {
      const ex = await h.value('executions/get', { id: executionId });
      const say = ex.stepRuns.find((r) => r.step === 'say');
      const big = ex.stepRuns.find((r) => r.step === 'big');
      if (!say || !big) throw new Error('step runs missing');
      const one = await h.value('executions/log', { stepRunId: say.id });
      expect(one.chunks.map((c) => [c.stream, c.data])).toEqual([['stdout', 'hello from flowdeck\n']]);
      expect(one.done).toBe(true);
      expect(one.last).toBe(one.chunks[0]?.id);

      let after = 0;
      let text = '';
      let pages = 0;
      for (;;) {
        const page = await h.value('executions/log', { stepRunId: big.id, after, limit: 2 });
        pages++;
        expect(page.chunks.length).toBeLessThanOrEqual(2);
        for (const c of page.chunks) {
          expect(c.id).toBeGreaterThan(after);
          expect(typeof c.ts).toBe('number');
        }
        text += page.chunks.map((c) => c.data).join('');
        if (page.done) {
          after = page.last;
          break;
        }
        expect(page.last).toBeGreaterThan(after);
        after = page.last;
      }
      expect(pages).toBeGreaterThan(1);
      expect(text).toBe(Array.from({ length: 40000 }, (_, i) => `${i + 1}\n`).join(''));
      // Past the end: nothing new, the cursor stays, still done.
      expect(await h.value('executions/log', { stepRunId: big.id, after })).toEqual({ chunks: [], last: after, done: true });
    });

    it('cancel stops a run of this process, and one another process runs (through its control hub)', async () => {
      await h.value('flows/save', { source: "id: slow\nname: slow\ntargets: { elements: [localhost] }\nsteps:\n  - { id: wait, run: 'sleep 30' }\n" });
      const { id } = await h.value('runs/start', { flow: 'slow' });
      const t0 = Date.now();
      const running = async (eid: number): Promise<void> => {
        for (;;) {
          const ex = await h.value('executions/get', { id: eid });
          if (ex.stepRuns.some((r) => r.status === 'running')) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await running(id);
      await h.value('executions/cancel', { id });
      const ex = await h.waitFinished(id);
      expect(ex.status).toBe('cancelled');
      expect(ex.error).toBe('cancelled by the operator');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await h.call('executions/cancel', { id })).toEqual({
        ok: false,
        error: { code: 'conflict', message: `execution #${id} has already ended (cancelled); there is nothing to cancel` },
      });
      expect(await h.call('executions/cancel', { id: 424_242 })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown execution 424242' } });

      // Started outside this dispatcher's LiveExecutions, as another process's run would be: the request goes through the database.
      const other = await startRun(h.rt.deps, { flow: 'slow' });
      await running(other.id);
      await h.value('executions/cancel', { id: other.id, reason: 'wrong window' });
      expect(await other.done).toBe('cancelled');
      expect((await h.value('executions/get', { id: other.id })).error).toBe('wrong window');
    });
  });

  describe('credentials and known hosts', () => {
    it('save answers public facts only; list has no secret; delete is refused while an element names it', async () => {
      const saved = await h.value('credentials/save', { id: 'db-admin', name: 'DB admin', kind: 'password', username: 'admin', password: 'hunter2-very-secret' });
      expect(saved).toEqual({ id: 'db-admin', name: 'DB admin', kind: 'password', username: 'admin', hasPassphrase: false, updatedAt: expect.any(Number) });
      const list = await h.value('credentials/list', {});
      expect(list).toEqual([saved]);
      expect(JSON.stringify(list)).not.toContain('hunter2');
      expect(await h.call('credentials/save', { id: 'k', name: 'k', kind: 'key', privateKey: 'not a key' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(await h.call('credentials/save', { id: 'p', name: 'p', kind: 'password' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

      await h.value('inventory/saveElement', { element: { id: 'db1', name: 'db1', host: 'db1.example', credential: 'db-admin' } });
      expect(await h.call('credentials/delete', { id: 'db-admin' })).toEqual({
        ok: false,
        error: { code: 'conflict', message: 'credential "db-admin" is used by element db1; change them first' },
      });
      await h.value('inventory/deleteElement', { id: 'db1' });
      expect(await h.value('credentials/delete', { id: 'db-admin' })).toEqual({ deleted: true });
      expect(await h.value('credentials/delete', { id: 'db-admin' })).toEqual({ deleted: false });
      expect(await h.value('credentials/save', { id: 'agent', name: 'Agent', kind: 'agent' })).toMatchObject({ id: 'agent', kind: 'agent' });
    });

    it('known hosts list fingerprints (not key blobs) and remove forgets them', async () => {
      expect(await h.value('knownHosts/list', {})).toEqual([]);
      trustHostKey(h.rt.db, { host: 'web1.example', port: 22, keyType: 'ssh-ed25519', key: 'AAAAC3NzaC1lZDI1NTE5AAAAIBLOB', fingerprint: 'SHA256:abc' });
      const list = await h.value('knownHosts/list', {});
      expect(list).toEqual([{ host: 'web1.example', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', addedAt: expect.any(Number) }]);
      expect(await h.value('knownHosts/remove', { host: 'web1.example', port: 22 })).toEqual({ removed: 1 });
      expect(await h.value('knownHosts/remove', { host: 'web1.example', port: 22 })).toEqual({ removed: 0 });
    });

    it('hostKey/answer without a pending question is not accepted', async () => {
      expect(await h.value('hostKey/answer', { id: 'no-such-question', trust: true })).toEqual({ accepted: false });
    });
  });
});
