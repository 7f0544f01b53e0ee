import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionSummary, StepRunRecord } from '../../src-shared/domain/execution';
import type { EventName, Events } from '../../src-shared/ipc/contract';
import { EngineEvents } from '../../src-main/engine/events';
import { createEventBatcher } from '../../src-main/ipc/dispatcher';
import { IpcHarness, trueSteps } from './harness';

type Emitted = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

const summary = (id: number, status: ExecutionSummary['status']): ExecutionSummary => ({
  id,
  flow: 'f',
  flowVersion: 1,
  status,
  trigger: 'manual',
  queuedAt: 1,
  startedAt: 2,
  finishedAt: null,
  error: null,
  params: {},
  priority: 0,
  scheduleId: null,
  triggerId: null,
  pauseRequested: false,
  resumedAt: null,
  labels: {},
  pendingApprovals: 0,
  originId: null,
});

const run = (id: number, executionId: number, status: StepRunRecord['status']): StepRunRecord => ({
  id,
  executionId,
  element: 'e',
  step: `s${id}`,
  kind: 'run',
  attempt: 1,
  status,
  exitCode: null,
  signal: null,
  error: null,
  startedAt: 1,
  finishedAt: null,
});

describe('the event batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits nothing until the interval ends, then the latest state, logs first', () => {
    const events = new EngineEvents();
    const out: Emitted[] = [];
    const b = createEventBatcher(events, (event, payload) => out.push({ event, payload } as Emitted), 100);
    events.emit('execution', summary(1, 'running'));
    events.emit('stepRun', run(10, 1, 'running'));
    events.emit('stepRun', run(11, 1, 'running'));
    events.emit('log', { executionId: 1, stepRunId: 10, stream: 'stdout', ts: 5, data: 'a' });
    events.emit('log', { executionId: 1, stepRunId: 10, stream: 'stdout', ts: 6, data: 'b\n' });
    events.emit('log', { executionId: 1, stepRunId: 10, stream: 'stderr', ts: 7, data: 'oops\n' });
    events.emit('log', { executionId: 1, stepRunId: 10, stream: 'stdout', ts: 8, data: 'c\n' });
    events.emit('stepRun', run(10, 1, 'succeeded'));
    events.emit('stepRun', run(20, 2, 'running'));
    events.emit('execution', summary(1, 'succeeded'));
    vi.advanceTimersByTime(99);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out.map((o) => o.event)).toEqual(['log/appended', 'stepRuns/changed', 'stepRuns/changed', 'execution/changed']);
    expect(out[0]?.payload).toEqual({
      executionId: 1,
      stepRunId: 10,
      chunks: [
        { stream: 'stdout', ts: 5, data: 'ab\n' },
        { stream: 'stderr', ts: 7, data: 'oops\n' },
        { stream: 'stdout', ts: 8, data: 'c\n' },
      ],
    });
    expect(out[1]?.payload).toEqual({ executionId: 1, runs: [run(10, 1, 'succeeded'), run(11, 1, 'running')] });
    expect(out[2]?.payload).toEqual({ executionId: 2, runs: [run(20, 2, 'running')] });
    expect(out[3]?.payload).toEqual(summary(1, 'succeeded'));
    b.close();
  });

  it('a busy execution gets at most one update per interval', () => {
    const events = new EngineEvents();
    const out: Emitted[] = [];
    const b = createEventBatcher(events, (event, payload) => out.push({ event, payload } as Emitted), 100);
    for (let t = 0; t < 1000; t += 10) {
      events.emit('stepRun', run(t, 1, 'running'));
      events.emit('log', { executionId: 1, stepRunId: 1, stream: 'stdout', ts: t, data: 'x' });
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(100);
    expect(out.filter((o) => o.event === 'stepRuns/changed').length).toBeLessThanOrEqual(11);
    const logged = out.flatMap((o) => (o.event === 'log/appended' ? o.payload.chunks.map((c) => c.data) : [])).join('');
    expect(logged).toBe('x'.repeat(100));
    b.close();
  });

  it('caps live output per step run per interval and says how much it left out', () => {
    const events = new EngineEvents();
    const out: Emitted[] = [];
    const b = createEventBatcher(events, (event, payload) => out.push({ event, payload } as Emitted), 100, { maxLogCharsPerInterval: 10 });
    for (let i = 0; i < 5; i++) events.emit('log', { executionId: 1, stepRunId: 1, stream: 'stdout', ts: i, data: 'abcdef' });
    b.flush();
    const first = out[0];
    if (first?.event !== 'log/appended') throw new Error('no log event');
    expect(first.payload.chunks[0]).toEqual({ stream: 'stdout', ts: 0, data: 'abcdefabcdef' });
    expect(first.payload.chunks[1]).toMatchObject({ stream: 'system', data: expect.stringContaining('18 more characters') });
    b.close();
  });

  it('close stops listening', () => {
    const events = new EngineEvents();
    const out: Emitted[] = [];
    const b = createEventBatcher(events, (event, payload) => out.push({ event, payload } as Emitted), 100);
    b.close();
    events.emit('execution', summary(1, 'running'));
    vi.advanceTimersByTime(500);
    expect(out).toEqual([]);
    expect(events.listenerCount('execution') + events.listenerCount('stepRun') + events.listenerCount('log')).toBe(0);
  });
});

describe('the event batcher on a real run', () => {
  it('a 50-step flow yields far fewer stepRuns/changed events than step run changes, and ends with the final states', async () => {
    const h = await new IpcHarness().open();
    try {
      const out: Emitted[] = [];
      let raw = 0;
      h.rt.deps.events.on('stepRun', () => raw++);
      const b = createEventBatcher(h.rt.deps.events, (event, payload) => out.push({ event, payload } as Emitted), 100);
      await h.value('flows/save', { source: trueSteps('fifty', 50) });
      const { id } = await h.value('runs/start', { flow: 'fifty' });
      await h.waitFinished(id);
      await new Promise((r) => setTimeout(r, 250));
      b.close();
      const changes = out.filter((o) => o.event === 'stepRuns/changed');
      expect(raw).toBeGreaterThanOrEqual(100);
      expect(changes.length).toBeLessThan(raw / 4);
      const final = new Map<number, string>();
      for (const c of changes) if (c.event === 'stepRuns/changed') for (const r of c.payload.runs) final.set(r.id, r.status);
      expect(final.size).toBe(50);
      expect([...final.values()].every((s) => s === 'succeeded')).toBe(true);
      const last = out.filter((o) => o.event === 'execution/changed').at(-1);
      expect(last?.payload).toMatchObject({ id, status: 'succeeded' });
    } finally {
      await h.close();
    }
  });
});
