import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { Connection, Transport } from './types';

/**
 * One connection per element per execution (SPEC 10 "warm connection"): opened on first use,
 * shared by every step of that element, child flows included, closed when the execution ends.
 */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();

  constructor(private readonly pick: (element: ResolvedElement, local: boolean) => Transport) {}

  get(element: ResolvedElement, opts: { local: boolean; signal: AbortSignal }): Promise<Connection> {
    const transport = this.pick(element, opts.local);
    const key = `${transport.kind}:${element.id}`;
    let conn = this.open.get(key);
    if (!conn) {
      conn = transport.connect(element, { signal: opts.signal });
      // A failed connect is not cached: the next step (or retry) tries again.
      conn.catch(() => this.open.delete(key));
      this.open.set(key, conn);
    }
    return conn;
  }

  async closeAll(): Promise<void> {
    const conns = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).close()));
  }
}
