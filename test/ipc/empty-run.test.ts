import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcHarness } from './harness';

describe('the console says a flow would run on nothing before it runs', () => {
  const h = new IpcHarness();
  beforeAll(async () => {
    await h.open();
    await h.value('flows/save', { source: 'id: typo\nname: typo\ntargets: { groups: [f10] }\nsteps:\n  - { id: a, run: echo hi }\n' });
  });
  afterAll(() => h.close());

  it('the editor preview names the targets that matched nothing', async () => {
    const r = await h.value('flows/preview', { source: 'id: typo\nname: typo\ntargets: { groups: [f10] }\nsteps:\n  - { id: a, run: echo hi }\n' });
    expect(r).toEqual({ ok: false, problem: { message: expect.stringMatching(/no element matched groups \[f10\]/) } });
  });

  it('the dry run and the start refuse it, and nothing is recorded', async () => {
    const plan = await h.call('runs/plan', { flow: 'typo' });
    expect(plan.ok ? 'ok' : plan.error.message).toMatch(/no element matched groups \[f10\]/);
    const start = await h.call('runs/start', { flow: 'typo' });
    expect(start.ok ? 'ok' : start.error.message).toMatch(/no element matched groups \[f10\]/);
    expect(await h.value('executions/list', {})).toEqual([]);
  });

  it("a schedule's preview warns with the same words", async () => {
    const r = await h.value('schedules/preview', { when: { cron: '0 3 * * *' }, timezone: 'UTC', count: 2, flow: 'typo' });
    expect(r.ok && r.warning).toMatch(/^a run would fail now: flow "typo": no element matched groups \[f10\]/);
    const without = await h.value('schedules/preview', { when: { cron: '0 3 * * *' }, timezone: 'UTC', count: 2 });
    expect(without.ok && without.warning).toBeUndefined();
  });
});
