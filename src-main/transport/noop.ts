import type { Connection, Transport } from './types';

/** Succeeds at once without running anything: measures the engine's own cost (npm run bench). */
export const noopTransport: Transport = {
  kind: 'noop',
  connect(): Promise<Connection> {
    return Promise.resolve({
      exec: () => Promise.resolve({ exitCode: 0, signal: null }),
      close: () => Promise.resolve(),
    });
  },
};
