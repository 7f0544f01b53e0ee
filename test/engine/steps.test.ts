import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineHarness, localFleet } from '../support/engine';
import { buildPlan } from '../../src-main/engine/plan';
import { prepareRun } from '../../src-main/engine/executor';
import { iterateLog } from '../../src-main/store/log-queries';
import { listStepRuns } from '../../src-main/store/execution-queries';

describe('step kinds, templates, when and results', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = await new EngineHarness().open();
    h.inventory(localFleet(3));
  });
  afterEach(() => h.close());

  const logOf = (executionId: number, step: string, element: string): string => {
    const runs = listStepRuns(h.rt.db, executionId).filter((r) => r.step === step && r.element === element);
    return [...iterateLog(h.rt.db, runs.map((r) => r.id))].map((c) => c.data).join('');
  };

  it('templates see element, params, current/first/last and earlier results (steps.<id>.json)', async () => {
    h.flows(`
id: t
name: t
targets: { groups: [fleet] }
params: [{ name: greeting, default: hello }]
steps:
  - id: facts
    run: 'echo "{\\"port\\": {{ 5000 + element.context.n }}}"'
  - id: say
    run: echo {{ shq(params.greeting + ' ' + element.id) }} {{ current }}/{{ last }} first={{ first }} port={{ steps.facts.json.port }}
  - id: last-only
    when: current === last
    run: echo I am last
`);
    const rep = await h.run('t', { params: { greeting: 'hi there' } });
    expect(rep.status).toBe('succeeded');
    expect(logOf(rep.id, 'say', 'e2')).toBe('hi there e2 2/3 first=1 port=5002\n');
    expect(rep.runs.filter((r) => r.step === 'last-only').map((r) => `${r.element}:${r.status}`)).toEqual(['e1:skipped', 'e2:skipped', 'e3:succeeded']);
  });

  it('a secret param is used by the step but stored masked and redacted from the log', async () => {
    h.flows(`
id: sp
name: sp
targets: { elements: [e1] }
params: [{ name: token, secret: true, required: true }]
steps:
  - { id: use, run: 'echo "token={{ params.token }}"; test {{ shq(params.token) }} = hunter2-secret' }
`);
    const rep = await h.run('sp', { params: { token: 'hunter2-secret' } });
    expect(rep.status).toBe('succeeded');
    expect(rep.params).toEqual({ token: '***' });
    expect(logOf(rep.id, 'use', 'e1')).toBe('token=***\n');
  });

  it('script steps feed their body to the interpreter with env; sleep waits', async () => {
    h.flows(`
id: s
name: s
targets: { elements: [e1] }
steps:
  - id: py
    interpreter: /bin/sh -s -- arg1
    env: { WHO: '{{ element.id }}' }
    script: |
      echo "who=$WHO first=$1"
      echo done
  - id: nap
    sleep: 0.3
`);
    const rep = await h.run('s');
    expect(rep.status).toBe('succeeded');
    expect(logOf(rep.id, 'py', 'e1')).toBe('who=e1 first=arg1\ndone\n');
    const nap = rep.runs.find((r) => r.step === 'nap');
    expect((nap?.finishedAt ?? 0) - (nap?.startedAt ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('tasks from the library run with typed parameters and defaults', async () => {
    h.flows(
      `
kind: task
id: greet
name: Greet
params:
  - { name: who, required: true }
  - { name: times, type: number, default: 2 }
run: i=0; while [ $i -lt {{ inputs.times }} ]; do echo "hello {{ inputs.who }}"; i=$((i+1)); done
timeout: 5
`,
      `
id: uses-task
name: uses task
targets: { elements: [e1] }
steps:
  - id: g
    task: greet
    with: { who: '{{ element.id }}' }
`,
    );
    const rep = await h.run('uses-task');
    expect(rep.status).toBe('succeeded');
    expect(logOf(rep.id, 'g', 'e1')).toBe('hello e1\nhello e1\n');
  });

  describe('http', () => {
    let server: Server;
    let base: string;
    beforeEach(async () => {
      server = createServer((req, res) => {
        if (req.url === '/ok') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ healthy: true, path: req.url }));
        } else {
          res.writeHead(503);
          res.end('down');
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise<void>((r) => server.close(() => r())));

    it('2xx succeeds and keeps the response; other statuses fail with the status', async () => {
      h.flows(`
id: web
name: web
targets: { elements: [e1] }
steps:
  - { id: ok, http: '${base}/ok' }
  - { id: check, run: 'echo healthy={{ steps.ok.json.healthy }}' }
  - { id: down, http: { url: '${base}/down', method: POST, body: 'x' } }
`);
      const rep = await h.run('web');
      expect(rep.runs.map((r) => `${r.step}:${r.status}`)).toEqual(['ok:succeeded', 'check:succeeded', 'down:failed']);
      expect(logOf(rep.id, 'check', 'e1')).toBe('healthy=true\n');
      expect(rep.runs[2]?.error).toBe('HTTP 503 Service Unavailable');
    });
  });

  it('child flows: elements: picks by expression, own uses the child targets, params pass down, parent is visible', async () => {
    h.flows(
      `
id: child
name: child
targets: { elements: [e3] }
params: [{ name: tag, required: true }]
steps:
  - { id: B, run: 'echo {{ params.tag }} on {{ element.id }} from {{ parent.flow }}' }
`,
      `
id: parent
name: parent
mode: parallel
targets: { groups: [fleet] }
steps:
  - { id: A, run: 'true' }
  - { id: picked, flow: child, elements: "elements.filter(e => e.context.n > 1).map(e => e.id)", params: { tag: x } }
  - { id: own, flow: child, elements: own, params: { tag: y } }
`,
    );
    const rep = await h.run('parent');
    expect(rep.status).toBe('succeeded');
    const paths = rep.runs.filter((r) => r.kind !== 'flow').map((r) => `${r.step}@${r.element}`);
    expect(paths).toEqual(expect.arrayContaining(['picked/B@e2', 'picked/B@e3', 'own/B@e3']));
    expect(paths).not.toContain('picked/B@e1');
    expect(paths.filter((p) => p.startsWith('own/'))).toEqual(['own/B@e3']);
    expect(logOf(rep.id, 'picked/B', 'e2')).toBe('x on e2 from parent\n');
  });

  it('the dry run gives a child the same elements as the run, and names an id the inventory lacks', async () => {
    h.flows(
      `
id: child
name: child
targets: { elements: [e3] }
steps:
  - { id: B, run: 'true' }
`,
      `
id: parent
name: parent
mode: parallel
targets: { groups: [fleet] }
steps:
  - { id: picked, flow: child, elements: "elements.filter(e => e.context.n > 1).map(e => e.id)" }
  - { id: own, flow: child, elements: own }
`,
    );
    const plan = await buildPlan(h.rt.deps.sandbox, await prepareRun(h.rt.deps, { flow: 'parent' }));
    const picked = plan.waves.flat().filter((r) => r.step === 'picked/B').map((r) => r.element);
    expect(picked.sort()).toEqual(['e2', 'e3']);
    expect(plan.waves.flat().filter((r) => r.step === 'own/B').map((r) => r.element)).toEqual(['e3']);
    h.flows(
      `
id: child
name: child
steps:
  - { id: B, run: 'true' }
`,
      `
id: typo
name: typo
mode: parallel
targets: { groups: [fleet] }
steps:
  - { id: call, flow: child, elements: "['e1', 'e9']" }
`,
    );
    const bad = await buildPlan(h.rt.deps.sandbox, await prepareRun(h.rt.deps, { flow: 'typo' }));
    expect(bad.notes).toEqual([expect.stringContaining('gave "e9", which is not an element of the inventory')]);
  });

  it('a child flow that fails fails the flow step on that element', async () => {
    h.flows(
      `
id: c
name: c
steps:
  - { id: B, run: 'test {{ element.id }} != e2' }
`,
      `
id: p
name: p
mode: serial
onFailure: continue
targets: { groups: [fleet] }
steps:
  - { id: F2, flow: c }
  - { id: after, run: 'true' }
`,
    );
    const rep = await h.run('p');
    expect(rep.status).toBe('failed');
    const s = (step: string, el: string): string | undefined => rep.runs.find((r) => r.step === step && r.element === el)?.status;
    expect(s('F2', 'e2')).toBe('failed');
    expect(s('F2/B', 'e2')).toBe('failed');
    expect(s('after', 'e2')).toBe('skipped');
    expect(s('after', 'e1')).toBe('succeeded');
    expect(s('after', 'e3')).toBe('succeeded');
  });

  it('batches with delayBetweenBatches run one after another', async () => {
    h.flows(`
id: b
name: b
mode: parallel
batchSize: 2
delayBetweenBatches: 0.5
targets: { groups: [fleet] }
steps:
  - { id: s, run: sleep 0.2 }
`);
    const rep = await h.run('b');
    const at = (el: string): { startedAt: number | null; finishedAt: number | null } => rep.runs.find((r) => r.element === el) as never;
    expect(at('e3').startedAt as number).toBeGreaterThanOrEqual((at('e1').finishedAt as number) + 450);
    expect(Math.abs((at('e1').startedAt as number) - (at('e2').startedAt as number))).toBeLessThan(200);
  });

  it('concurrency caps how many elements run a step at once', async () => {
    h.flows(`
id: cc
name: cc
mode: parallel
concurrency: 1
targets: { groups: [fleet] }
steps:
  - { id: s, run: sleep 0.2 }
`);
    const rep = await h.run('cc');
    const runs = [...rep.runs].sort((a, b) => (a.startedAt as number) - (b.startedAt as number));
    for (let i = 1; i < runs.length; i++) expect(runs[i]?.startedAt as number).toBeGreaterThanOrEqual(runs[i - 1]?.finishedAt as number);
  });

  it('the flow timeout cancels the execution and kills what runs', async () => {
    h.flows(`
id: to
name: to
timeout: 0.5
targets: { elements: [e1] }
steps:
  - { id: s, run: sleep 30 }
`);
    const t0 = Date.now();
    const rep = await h.run('to');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(rep.status).toBe('cancelled');
    expect(rep.error).toMatch(/flow timeout of 0.5 s/);
    expect(rep.runs[0]?.status).toBe('cancelled');
  });
});
