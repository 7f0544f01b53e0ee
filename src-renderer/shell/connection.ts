import { create } from 'zustand';
import { connection, type BridgeKind } from '../bridge';
import type { ConnectionState } from '../bridge/websocket-bridge';

/** The bridge's connection state, for the top bar and for stores that reload on reconnect. */
export const useConnection = create<ConnectionState & { kind: BridgeKind; fatal: string | null }>(() => ({
  ...connection.state(),
  kind: connection.kind,
  fatal: connection.fatal,
}));

connection.onState((s) => useConnection.setState(s));

/** Runs `reload` every time a new connection opens after the first one (events were missed meanwhile). */
export function onReconnect(reload: () => void): () => void {
  let seen = useConnection.getState().generation;
  return useConnection.subscribe((s) => {
    if (s.status === 'open' && s.generation !== seen) {
      const first = seen === 0;
      seen = s.generation;
      if (!first) reload();
    }
  });
}
