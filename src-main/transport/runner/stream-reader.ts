import type { Redis } from 'ioredis';

/** Entries per XREAD and stream: at most 2 MB of output (64 KB entries) in one reply, few round trips under a flood. */
const READ_COUNT = 32;
/** How long one XREAD blocks; a new stream to watch interrupts it (CLIENT UNBLOCK). */
const BLOCK_MS = 5000;
/** Where CLIENT UNBLOCK is not allowed (an ACL user without it), a short block bounds the delay. */
const SHORT_BLOCK_MS = 100;
/** After a failed read (Redis restarting), the pause before the next one. */
const RETRY_MS = 250;
/** Entries read from one stream before the read part is trimmed away from Redis's memory. */
const TRIM_EVERY = 64;

type EntryHandler = (id: string, fields: Buffer[]) => void;

interface Watch {
  lastId: string;
  sinceTrim: number;
  handler: EntryHandler;
}

type XReadReply = Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;

/**
 * Reads every step's output stream of this process over one blocking connection: one XREAD
 * covers all the streams being watched, so a thousand steps at once need one connection, not a
 * thousand. Entries reach each stream's handler in order. Watching a new stream while the read
 * blocks interrupts it (CLIENT UNBLOCK from the command connection) so it is read at once.
 */
export class StreamReader {
  private readonly watches = new Map<string, Watch>();
  private clientId: number | null = null;
  private blocking = false;
  private unblocking = false;
  private wake: (() => void) | null = null;
  private closed = false;
  private loop: Promise<void> | undefined;

  constructor(
    /** Dedicated to XREAD: a blocked connection can do nothing else. */
    private readonly blocker: Redis,
    /** For UNBLOCK and trimming. */
    private readonly command: Redis,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Delivers the entries of `key` from its start, in order, until the returned function is called. */
  watch(key: string, handler: EntryHandler): () => void {
    const w: Watch = { lastId: '0', sinceTrim: 0, handler };
    this.watches.set(key, w);
    this.interrupt();
    return () => {
      if (this.watches.get(key) === w) this.watches.delete(key);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.interrupt();
    await this.loop;
  }

  private interrupt(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    } else if (this.blocking && this.clientId !== null && !this.unblocking) {
      // One UNBLOCK per blocked read: fifty steps queued at once wake the reader once, not fifty times.
      this.unblocking = true;
      this.command.client('UNBLOCK', this.clientId).catch(() => {
        // Not allowed (ACL) or not connected: the read ends by itself soon.
        this.clientId = null;
      });
    }
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.watches.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.clientId === null) this.clientId = await this.blocker.client('ID').then(Number, () => null);
      const keys = [...this.watches.keys()];
      const ids = keys.map((k) => (this.watches.get(k) as Watch).lastId);
      let reply: XReadReply;
      try {
        this.blocking = true;
        reply = (await this.blocker.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', this.clientId === null ? SHORT_BLOCK_MS : BLOCK_MS, 'STREAMS', ...keys, ...ids)) as XReadReply;
      } catch {
        // Redis is away: each step's own checks decide when that fails it; keep trying meanwhile.
        this.clientId = null;
        await new Promise((r) => setTimeout(r, RETRY_MS));
        continue;
      } finally {
        this.blocking = false;
        this.unblocking = false;
      }
      if (!reply) continue;
      for (const [keyBuf, entries] of reply) {
        const key = keyBuf.toString('utf8');
        const w = this.watches.get(key);
        if (!w) continue;
        for (const [idBuf, fields] of entries) {
          w.lastId = idBuf.toString('latin1');
          if (this.watches.get(key) !== w) break;
          w.handler(w.lastId, fields);
        }
        w.sinceTrim += entries.length;
        if (w.sinceTrim >= TRIM_EVERY && this.watches.get(key) === w) {
          w.sinceTrim = 0;
          this.command.xtrim(key, 'MINID', w.lastId).catch(() => undefined);
        }
      }
    }
  }
}
