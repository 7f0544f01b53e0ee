import type { Channel, EventName, Events, FlowdeckBridge, RequestOf, Responses, Result } from '../../src-shared/ipc/contract';
import type { SerializedError } from '../../src-shared/errors';

/**
 * `window.flowdeck` for the headless console (`flowdeck serve`): the same two functions as the
 * Electron preload, carried over one WebSocket to `/ipc?token=...`.
 *
 *   client -> server  { id, channel, request }
 *   server -> client  { id, result }            (a Result: { ok, value } | { ok, error })
 *                     { event, payload }         (main's pushed events)
 *                     { id: null, result }       (the server could not read a message)
 *
 * The socket reconnects on its own with a capped, jittered exponential backoff. A request never
 * rejects: one that was sent but not answered when the socket closed resolves as
 * `{ ok: false, error: { code: 'internal', message: 'connection lost' } }`, and one made while
 * the socket is away waits for the next connection (or fails the same way if that attempt fails).
 */

type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts in a row since the last open socket. */
  failures: number;
  /** When the next attempt starts (epoch ms), while closed. */
  retryAt: number | null;
  /** Bumped each time a socket opens: stores reload what they show when it changes. */
  generation: number;
}

export interface WebSocketBridgeOptions {
  /** Backoff bounds in ms. */
  minDelay?: number;
  maxDelay?: number;
  /** A message the server could not read (`{ id: null }`): there is no request to give it to. */
  onProtocolError?: (error: SerializedError) => void;
  /** For tests: another WebSocket implementation. */
  createSocket?: (url: string) => WebSocket;
}

export interface WebSocketBridge extends FlowdeckBridge {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Skips the backoff wait and tries now (the "retry now" button). */
  reconnectNow(): void;
  close(): void;
}

/** WebSocket.OPEN, without needing the global (tests pass their own socket). */
const OPEN = 1;

const CONNECTION_LOST: Result<never> = { ok: false, error: { code: 'internal', message: 'connection lost' } };

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isResult(v: unknown): v is Result<unknown> {
  return isObject(v) && typeof v.ok === 'boolean' && (v.ok ? 'value' in v : isObject(v.error));
}

export function createWebSocketBridge(url: string, options: WebSocketBridgeOptions = {}): WebSocketBridge {
  const minDelay = options.minDelay ?? 250;
  const maxDelay = options.maxDelay ?? 10_000;
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u));

  let socket: WebSocket | null = null;
  let nextId = 1;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let state: ConnectionState = { status: 'connecting', failures: 0, retryAt: null, generation: 0 };

  /** Sent, waiting for the answer. */
  const pending = new Map<number, Pending>();
  /** Asked while no socket was open: sent as soon as one opens. */
  const queued: Array<{ id: number; text: string }> = [];
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (patch: Partial<ConnectionState>): void => {
    state = { ...state, ...patch };
    for (const l of stateListeners) l(state);
  };

  const failAll = (ids: Iterable<number>): void => {
    for (const id of [...ids]) {
      const p = pending.get(id);
      pending.delete(id);
      p?.resolve(CONNECTION_LOST);
    }
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      options.onProtocolError?.({ code: 'internal', message: 'the server sent a message that is not JSON' });
      return;
    }
    if (!isObject(msg)) return;
    if (typeof msg.event === 'string') {
      const listeners = eventListeners.get(msg.event);
      if (listeners) for (const l of [...listeners]) l(msg.payload);
      return;
    }
    if (typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      p.resolve(isResult(msg.result) ? msg.result : { ok: false, error: { code: 'internal', message: 'the server sent a malformed answer' } });
      return;
    }
    if (msg.id === null && isObject(msg.result) && isResult(msg.result) && !msg.result.ok) {
      options.onProtocolError?.(msg.result.error);
    }
  };

  const scheduleRetry = (): void => {
    if (stopped) return;
    const failures = state.failures + 1;
    const base = Math.min(maxDelay, minDelay * 2 ** Math.min(failures - 1, 16));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    setState({ status: 'closed', failures, retryAt: Date.now() + delay });
    retryTimer = setTimeout(connect, delay);
  };

  function connect(): void {
    if (stopped) return;
    retryTimer = null;
    setState({ status: 'connecting', retryAt: null });
    let ws: WebSocket;
    try {
      ws = createSocket(url);
    } catch {
      failAll(queued.splice(0).map((q) => q.id));
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      setState({ status: 'open', failures: 0, retryAt: null, generation: state.generation + 1 });
      for (const q of queued.splice(0)) ws.send(q.text);
    };
    ws.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Everything sent on this socket, and everything waiting for it, is lost.
      queued.length = 0;
      failAll(pending.keys());
      scheduleRetry();
    };
    // An error is always followed by close, which does the work.
    ws.onerror = () => undefined;
  }

  const bridge = {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> {
      return new Promise<Result<Responses[C]>>((resolve) => {
        if (stopped) {
          resolve(CONNECTION_LOST);
          return;
        }
        const id = nextId++;
        const text = JSON.stringify({ id, channel, request });
        pending.set(id, { resolve: resolve as (r: Result<unknown>) => void });
        if (socket !== null && socket.readyState === OPEN) socket.send(text);
        else queued.push({ id, text });
      });
    },

    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) {
        set = new Set();
        eventListeners.set(event, set);
      }
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        eventListeners.get(event)?.delete(l);
      };
    },
  } satisfies FlowdeckBridge;

  connect();

  return {
    ...bridge,
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    reconnectNow() {
      if (stopped || state.status !== 'closed') return;
      if (retryTimer !== null) clearTimeout(retryTimer);
      connect();
    },
    close() {
      stopped = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      const ws = socket;
      socket = null;
      ws?.close();
      queued.length = 0;
      failAll(pending.keys());
      setState({ status: 'closed', retryAt: null });
    },
  };
}
