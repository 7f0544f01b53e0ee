import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, waitFor, Workspace } from '../support/cli';
import { everySecond, heldFlow, SchedulerFixture } from '../schedules/support';

describe('maxQueuedExecutions: a run that would be one too many in the queue is refused at once', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    const slow = ws.file('slow.yaml', 'id: slow\nname: slow\ntargets: { elements: [box] }\nsteps:\n  - { id: wait, run: "sleep 30" }\n');
    expect((await ws.run(['flow', 'import', slow])).code).toBe(0);
    expect((await ws.run(['settings', 'set', 'maxConcurrentExecutions', '1'])).stdout).toBe('maxConcurrentExecutions = 1\n');
    expect((await ws.run(['settings', 'set', 'maxQueuedExecutions', '1'])).stdout).toBe('maxQueuedExecutions = 1\n');
  });
  afterAll(() => ws.dispose());

  it('one runs, one waits, the third is refused naming the queue; nothing of it is recorded', async () => {
    const first = ws.spawn(['run', 'slow']);
    const firstDone = collect(first);
    const statuses = async (): Promise<string[]> => (await ws.json<Array<{ status: string }>>(['executions', 'list', '--json'])).map((e) => e.status);
    await waitFor('the first run to be running', async () => (await statuses()).includes('running'));
    const second = ws.spawn(['run', 'slow']);
    const secondDone = collect(second);
    await waitFor('the second run to wait in the queue', async () => (await statuses()).includes('queued'));

    const third = await ws.run(['run', 'slow']);
    expect(third.code).toBe(1);
    expect(third.stderr.trim()).toBe(
      'flowdeck: the execution queue is full: 1 running and 1 waiting (settings maxConcurrentExecutions 1, maxQueuedExecutions 1); this run was not started',
    );
    expect((await statuses()).sort()).toEqual(['queued', 'running']);

    first.kill('SIGINT');
    second.kill('SIGINT');
    await Promise.all([firstDone, secondDone]);
  }, 60_000);
});

describe('a schedule whose run the full queue refuses says so and keeps going', () => {
  let f: SchedulerFixture;
  beforeAll(async () => {
    f = await new SchedulerFixture().open();
    await f.flow(heldFlow('long', 'long'));
    await f.h.value('settings/save', { maxConcurrentExecutions: 1, maxQueuedExecutions: 0 });
  });
  afterAll(async () => f.close());

  it('reports each refused run on its log line, and runs nothing more', async () => {
    const s = await f.schedule({ flow: 'long', when: { cron: everySecond }, overlap: 'allow' });
    f.start();
    await f.advance(1000);
    await f.t.started('long', 'box');
    await f.advance(1000);
    await f.advance(1000);
    const refusals = f.linesAbout(s.id).filter((l) => l.includes('the execution queue is full'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatch(/could not start the run at .*: the execution queue is full: 1 running and 0 waiting/);
    expect(f.runsOf(s.id)).toHaveLength(1);
    await f.schedule({ flow: 'long', when: { cron: everySecond }, overlap: 'allow', enabled: false }, s.id);
    f.t.finish('long', 'box');
  });
});
