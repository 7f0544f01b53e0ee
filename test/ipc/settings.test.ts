import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src-main/engine/runtime';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { LiveExecutions } from '../../src-main/engine/live-executions';
import { IpcHarness } from './harness';

describe('settings through the dispatcher', () => {
  const h = new IpcHarness();
  beforeAll(async () => {
    await h.open();
  });
  afterAll(() => h.close());

  it('a fresh database keeps everything and runs 8 executions at once', async () => {
    expect(await h.value('settings/get', {})).toEqual({ retentionDays: null, maxConcurrentExecutions: 8, maxQueuedExecutions: null });
  });

  it('saves each setting on its own and returns the whole view', async () => {
    expect(await h.value('settings/save', { retentionDays: 30 })).toEqual({ retentionDays: 30, maxConcurrentExecutions: 8, maxQueuedExecutions: null });
    expect(await h.value('settings/save', { maxConcurrentExecutions: 3 })).toEqual({ retentionDays: 30, maxConcurrentExecutions: 3, maxQueuedExecutions: null });
    expect(await h.value('settings/save', { retentionDays: null })).toEqual({ retentionDays: null, maxConcurrentExecutions: 3, maxQueuedExecutions: null });
    expect(await h.value('settings/save', { maxQueuedExecutions: 20 })).toEqual({ retentionDays: null, maxConcurrentExecutions: 3, maxQueuedExecutions: 20 });
    expect(await h.value('settings/save', { maxQueuedExecutions: null })).toEqual({ retentionDays: null, maxConcurrentExecutions: 3, maxQueuedExecutions: null });
    expect(await h.value('settings/get', {})).toEqual({ retentionDays: null, maxConcurrentExecutions: 3, maxQueuedExecutions: null });
  });

  it('is read back by a second process on the same database file', async () => {
    await h.value('settings/save', { retentionDays: 14, maxConcurrentExecutions: 5 });
    const rt = await openRuntime(h.dbPath);
    try {
      const dispatch = createDispatcher(createHandlers(rt, new LiveExecutions()));
      expect(await dispatch('settings/get', {})).toEqual({ ok: true, value: { retentionDays: 14, maxConcurrentExecutions: 5, maxQueuedExecutions: null } });
    } finally {
      rt.close();
    }
  });

  it.each([
    [{ retentionDays: 0 }],
    [{ retentionDays: 1.5 }],
    [{ retentionDays: 5000 }],
    [{ maxConcurrentExecutions: 0 }],
    [{ maxConcurrentExecutions: null }],
    [{ maxConcurrentExecutions: '4' }],
    [{ keepForever: true }],
  ])('refuses %j with a typed error and changes nothing', async (bad) => {
    const before = await h.value('settings/get', {});
    const r = await h.call('settings/save', bad as never);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await h.value('settings/get', {})).toEqual(before);
  });
});
