import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { ConnectOptions, Connection, Transport } from './types';

/**
 * One connection per element per execution (a warm connection): opened on first use,
 * shared by every step of that element, child flows included, closed when the execution ends.
 */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();
  private readonly ready = new Map<string, Connection>();

  constructor(
    private readonly pick: (element: ResolvedElement, local: boolean) => Transport,
    private readonly extra: Omit<ConnectOptions, 'signal'> = {},
  ) {}

  get(element: ResolvedElement, opts: { local: boolean; signal: AbortSignal }): Promise<Connection> {
    const transport = this.pick(element, opts.local);
    const key = `${transport.kind}:${element.id}`;
    const known = this.ready.get(key);
    // A connection that broke (host rebooted, sshd killed) is replaced for the next step or retry.
    if (known?.alive && !known.alive()) {
      this.ready.delete(key);
      this.open.delete(key);
      void known.close();
    }
    let conn = this.open.get(key);
    if (!conn) {
      conn = transport.connect(element, { ...this.extra, signal: opts.signal });
      // A failed connect is not cached: the next step (or retry) tries again.
      conn.then(
        (c) => this.ready.set(key, c),
        () => this.open.delete(key),
      );
      this.open.set(key, conn);
    }
    return conn;
  }

  async closeAll(): Promise<void> {
    const conns = [...this.open.values()];
    this.open.clear();
    this.ready.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).close()));
  }
}
