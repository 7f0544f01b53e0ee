import { describe, expect, it, vi } from 'vitest';
import { createWebSocketBridge } from './websocket-bridge';

/** Just enough of a WebSocket for the bridge. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
  receive(value: unknown): void {
    this.onmessage?.({ data: JSON.stringify(value) });
  }
}

function setup() {
  FakeSocket.all = [];
  const bridge = createWebSocketBridge('ws://x/ipc?token=t', { minDelay: 10, maxDelay: 40, createSocket: (u) => new FakeSocket(u) as unknown as WebSocket });
  return { bridge, socket: () => FakeSocket.all.at(-1) as FakeSocket };
}

describe('createWebSocketBridge', () => {
  it('queues requests until the socket opens, then matches answers by id', async () => {
    const { bridge, socket } = setup();
    const p = bridge.invoke('flows/list', {});
    expect(socket().sent).toEqual([]);
    socket().open();
    const msg = JSON.parse(socket().sent[0] as string) as { id: number; channel: string };
    expect(msg.channel).toBe('flows/list');
    socket().receive({ id: msg.id, result: { ok: true, value: [] } });
    await expect(p).resolves.toEqual({ ok: true, value: [] });
    bridge.close();
  });

  it('delivers events to their listeners only', () => {
    const { bridge, socket } = setup();
    socket().open();
    const seen: unknown[] = [];
    const off = bridge.on('execution/changed', (s) => seen.push(s.id));
    socket().receive({ event: 'execution/changed', payload: { id: 7 } });
    socket().receive({ event: 'stepRuns/changed', payload: { executionId: 7, runs: [] } });
    off();
    socket().receive({ event: 'execution/changed', payload: { id: 8 } });
    expect(seen).toEqual([7]);
    bridge.close();
  });

  it('fails pending requests with "connection lost" on close and reconnects with backoff', async () => {
    vi.useFakeTimers();
    try {
      const { bridge, socket } = setup();
      socket().open();
      const p = bridge.invoke('inventory/list', {});
      const first = socket();
      first.drop();
      await expect(p).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'connection lost' } });
      expect(bridge.state().status).toBe('closed');
      vi.advanceTimersByTime(50);
      expect(socket()).not.toBe(first);
      socket().open();
      expect(bridge.state()).toMatchObject({ status: 'open', failures: 0, generation: 2 });
      bridge.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports messages the server could not read', () => {
    FakeSocket.all = [];
    const errors: string[] = [];
    const bridge = createWebSocketBridge('ws://x', { createSocket: (u) => new FakeSocket(u) as unknown as WebSocket, onProtocolError: (e) => errors.push(e.message) });
    const s = FakeSocket.all[0] as FakeSocket;
    s.open();
    s.receive({ id: null, result: { ok: false, error: { code: 'invalid-input', message: 'bad' } } });
    expect(errors).toEqual(['bad']);
    bridge.close();
  });
});
