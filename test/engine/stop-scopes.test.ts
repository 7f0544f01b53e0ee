import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noopTransport } from '../../src-main/transport/noop';
import { attemptStop, StopScope } from '../../src-main/engine/stop-scope';
import { EngineHarness } from '../support/engine';

const fleet = (n: number): string =>
  `elements:\n${Array.from({ length: n }, (_, i) => `  - { id: h${i}, name: h${i}, host: 10.9.${i >> 8}.${i & 255}, groups: [fleet] }`).join('\n')}\n`;

const parent = `id: parent
name: parent
mode: serial
targets: { groups: [fleet] }
steps:
  - { id: before, run: "true" }
  - { id: call, flow: child }
  - { id: after, run: "true", timeout: 30 }
`;
const child = `id: child
name: child
mode: parallel
steps:
  - { id: inner, run: "true", when: "current > 0" }
  - { id: nested, flow: grandchild }
`;
const grandchild = `id: grandchild
name: grandchild
steps:
  - { id: deep, run: "true", retries: { count: 1 } }
`;

describe('one stop signal per scope', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(`${w.name}: ${w.message}`);
  };
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('a serial parent calling a child flow over 300 elements adds no listener it does not take back', async () => {
    process.on('warning', onWarning);
    // Every 'abort' listener added and removed during the run, per signal: the most any one
    // signal held at a time is what a leak would make grow with the element count.
    const held = new WeakMap<EventTarget, number>();
    let most = 0;
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    const adds = vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (this: EventTarget, type, listener, options) {
      if (type === 'abort' && this instanceof AbortSignal) {
        const n = (held.get(this) ?? 0) + 1;
        held.set(this, n);
        most = Math.max(most, n);
      }
      add.call(this, type, listener, options);
    });
    const removes = vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (this: EventTarget, type, listener, options) {
      if (type === 'abort' && this instanceof AbortSignal) held.set(this, (held.get(this) ?? 1) - 1);
      remove.call(this, type, listener, options);
    });
    const h = await new EngineHarness().open({ ssh: noopTransport });
    try {
      h.inventory(fleet(300)).flows(parent, child, grandchild);
      const report = await h.run('parent');
      expect(report.status).toBe('succeeded');
      // before, call, after on each element, plus the child's inner, nested and the grandchild's deep.
      expect(report.runs.filter((r) => r.status === 'succeeded')).toHaveLength(300 * 6);
      expect(most).toBeLessThan(10);
      expect(warnings.filter((w) => /MaxListeners|memory leak/i.test(w))).toEqual([]);
    } finally {
      adds.mockRestore();
      removes.mockRestore();
      h.close();
    }
  }, 120_000);

  it('a child scope follows its parent with one listener, gone once it is disposed', () => {
    const root = new AbortController();
    const scopes = Array.from({ length: 50 }, () => new StopScope(root.signal));
    expect(getEventListeners(root.signal, 'abort')).toHaveLength(50);
    for (const s of scopes.slice(10)) s.dispose();
    expect(getEventListeners(root.signal, 'abort')).toHaveLength(10);
    root.abort({ kind: 'cancel', message: 'stop' });
    expect(scopes[0]?.signal.reason).toEqual({ kind: 'cancel', message: 'stop' });
    // A disposed scope no longer follows its parent.
    expect(scopes[20]?.signal.aborted).toBe(false);
  });

  it('fail-fast in a child stops the child and what is below it, not its parent', () => {
    const root = new AbortController();
    const parentScope = new StopScope(root.signal);
    const childScope = new StopScope(parentScope.signal);
    const attempt = attemptStop(childScope.signal, undefined);
    childScope.abort({ kind: 'fail-fast', message: 'x' });
    expect(attempt.signal.aborted).toBe(true);
    expect(parentScope.signal.aborted).toBe(false);
    attempt.dispose();
    childScope.dispose();
    expect(getEventListeners(parentScope.signal, 'abort')).toHaveLength(0);
  });

  it("an attempt's timeout stops the attempt alone, with its reason", async () => {
    const scope = new StopScope(new AbortController().signal);
    const attempt = attemptStop(scope.signal, 0.01);
    await new Promise<void>((resolve) => attempt.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(attempt.signal.reason).toEqual({ kind: 'timeout', seconds: 0.01 });
    expect(scope.signal.aborted).toBe(false);
    attempt.dispose();
    expect(getEventListeners(scope.signal, 'abort')).toHaveLength(0);
  });
});
