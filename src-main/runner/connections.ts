import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { Connection, Transport } from '../transport/types';
import { fromWireElement, type StepJob } from '../transport/runner/protocol';

interface Held {
  conn: Promise<Connection>;
  ready: Connection | undefined;
  owner: string;
  lastUsed: number;
}

/** A connection nobody used for this long is closed even if its owner never said so. */
const IDLE_CLOSE_MS = 3_600_000;

/**
 * The runner's connections to elements, one per owner connection: the owner's pool decides
 * when one opens and closes (one per element per execution), this keeps it warm in between.
 */
export class RunnerConnections {
  private readonly held = new Map<string, Held>();

  constructor(private readonly pick: (element: ResolvedElement) => Transport) {}

  get(job: StepJob, signal: AbortSignal): Promise<Connection> {
    let h = this.held.get(job.conn);
    if (h?.ready?.alive && !h.ready.alive()) {
      // Broken (the host rebooted): a new one for this step, as the owner's own pool does.
      this.held.delete(job.conn);
      void h.ready.close();
      h = undefined;
    }
    if (!h) {
      const element = fromWireElement(job.element);
      const elements = new Map(Object.entries(job.jumps).map(([spec, w]) => [spec, fromWireElement(w)]));
      const conn = this.pick(element).connect(element, { signal, elements, interactive: false });
      const fresh: Held = { conn, ready: undefined, owner: job.owner, lastUsed: Date.now() };
      this.held.set(job.conn, fresh);
      conn.then(
        (c) => (fresh.ready = c),
        () => {
          if (this.held.get(job.conn) === fresh) this.held.delete(job.conn);
        },
      );
      h = fresh;
    }
    h.lastUsed = Date.now();
    return h.conn;
  }

  close(connId: string): void {
    const h = this.held.get(connId);
    if (!h) return;
    this.held.delete(connId);
    h.conn.then((c) => c.close()).catch(() => undefined);
  }

  /** Owners with a connection held here. */
  owners(): Set<string> {
    return new Set([...this.held.values()].map((h) => h.owner));
  }

  /** Closes the connections of owners that are gone, and any unused for an hour. */
  sweep(goneOwners: ReadonlySet<string>): void {
    const now = Date.now();
    for (const [id, h] of this.held) if (goneOwners.has(h.owner) || now - h.lastUsed > IDLE_CLOSE_MS) this.close(id);
  }

  get size(): number {
    return this.held.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.held.keys()];
    const closing = all.map((id) => this.held.get(id)?.conn.then((c) => c.close()).catch(() => undefined));
    this.held.clear();
    await Promise.allSettled(closing);
  }
}
