import type { Channel, EventName, Events, FlowdeckBridge, RequestOf, Responses, Result } from '../../src-shared/ipc/contract';
import type { SerializedError } from '../../src-shared/errors';
import { createWebSocketBridge, type ConnectionState } from './websocket-bridge';

/**
 * The one bridge the UI uses, chosen once at start:
 * - in Electron the preload has put `window.flowdeck` on the page;
 * - in a browser (the headless console) the page was opened as `/?token=...` and talks over a
 *   WebSocket to `/ipc?token=...` on the same host.
 * Nothing else in the renderer knows which one it got.
 */

declare global {
  interface Window {
    flowdeck?: FlowdeckBridge;
  }
}

export type BridgeKind = 'electron' | 'websocket';

export interface ConnectionInfo {
  kind: BridgeKind;
  /** Why the bridge cannot work at all (no token in the URL), if so. */
  fatal: string | null;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  reconnectNow(): void;
}

const protocolErrorListeners = new Set<(error: SerializedError) => void>();

/** Errors the server reported for messages it could not read (no request to give them to). */
export function onProtocolError(listener: (error: SerializedError) => void): () => void {
  protocolErrorListeners.add(listener);
  return () => {
    protocolErrorListeners.delete(listener);
  };
}

function internalError(err: unknown): Result<never> {
  return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
}

/** The preload's object, made total: an IPC failure becomes an error Result, as over the socket. */
function electronBridge(native: FlowdeckBridge): FlowdeckBridge {
  return {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> {
      return native.invoke(channel, request).catch((err: unknown) => internalError(err));
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      return native.on(event, listener);
    },
  } satisfies FlowdeckBridge;
}

const OPEN_STATE: ConnectionState = { status: 'open', failures: 0, retryAt: null, generation: 1 };

function choose(): { bridge: FlowdeckBridge; connection: ConnectionInfo } {
  const native = window.flowdeck;
  if (native !== undefined) {
    return {
      bridge: electronBridge(native),
      connection: { kind: 'electron', fatal: null, state: () => OPEN_STATE, onState: () => () => undefined, reconnectNow: () => undefined },
    };
  }
  const token = new URLSearchParams(location.search).get('token');
  if (token === null || token === '') {
    const closed: ConnectionState = { status: 'closed', failures: 0, retryAt: null, generation: 0 };
    const fatal = 'No token in the address. Open the exact URL that `flowdeck serve` printed (it ends in ?token=...).';
    return {
      bridge: {
        invoke: () => Promise.resolve({ ok: false, error: { code: 'internal', message: fatal } }),
        on: () => () => undefined,
      } satisfies FlowdeckBridge,
      connection: { kind: 'websocket', fatal, state: () => closed, onState: () => () => undefined, reconnectNow: () => undefined },
    };
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWebSocketBridge(`${scheme}//${location.host}/ipc?token=${encodeURIComponent(token)}`, {
    onProtocolError: (error) => {
      for (const l of protocolErrorListeners) l(error);
    },
  });
  return {
    bridge: { invoke: ws.invoke, on: ws.on } satisfies FlowdeckBridge,
    connection: { kind: 'websocket', fatal: null, state: ws.state, onState: ws.onState, reconnectNow: ws.reconnectNow },
  };
}

const chosen = choose();

/** `window.flowdeck` or its WebSocket twin. */
export const bridge: FlowdeckBridge = chosen.bridge;
export const connection: ConnectionInfo = chosen.connection;
