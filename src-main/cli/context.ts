import { defaultDbPath } from '../store/paths';
import type { Db } from '../store/db';
import type { EngineRuntime } from '../engine/runtime';
import type { WebhookNotifier } from '../webhooks/notifier';

/** How long a CLI process that ran an execution waits, before exiting, for its webhooks to be delivered. */
const WEBHOOK_SETTLE_MS = 10_000;

/**
 * Opens what a command needs, when it first asks: `--help` and argument errors touch nothing,
 * commands that read or edit records open only the database, and only commands that run or
 * control executions load the engine (sandbox, transports, ssh2). Each is imported here, on
 * first use, so a short command never pays for loading the others.
 */
export class CliContext {
  private rt: EngineRuntime | undefined;
  private plainDb: Db | undefined;
  private webhooks: (WebhookNotifier & { close(): void }) | undefined;
  dbPath: string = defaultDbPath();

  /**
   * The database alone, for commands that start nothing. Like the engine's start-up, it first
   * marks the runs of processes that died as interrupted, so what it shows is current.
   */
  async db(): Promise<Db> {
    if (this.rt) return this.rt.db;
    if (!this.plainDb) {
      const [{ openDb }, { currentOwner, recoverInterrupted }] = await Promise.all([import('../store/db'), import('../engine/ownership')]);
      const db = openDb(this.dbPath);
      recoverInterrupted(db, currentOwner());
      this.plainDb = db;
    }
    return this.plainDb;
  }

  /** The whole engine on the database: for run, resume, retry and the control requests. */
  async runtime(): Promise<EngineRuntime> {
    if (!this.rt) {
      const [{ openRuntime }, { terminalHostKeyAsker }, { startWebhookNotifier }] = await Promise.all([
        import('../engine/runtime'),
        import('./host-key-prompt'),
        import('../webhooks/notifier'),
      ]);
      const ask = terminalHostKeyAsker();
      this.plainDb?.close();
      this.plainDb = undefined;
      this.rt = await openRuntime(this.dbPath, ask ? { askHostKey: ask } : {});
      // A run this process starts is announced by this process: nobody else is watching it.
      this.webhooks = startWebhookNotifier({ db: this.rt.db, events: this.rt.deps.events, owner: this.rt.deps.owner, cipher: this.rt.cipher });
    }
    return this.rt;
  }

  /**
   * Lets the webhook deliveries of the runs this process ran finish (retries included), at most
   * WEBHOOK_SETTLE_MS; what is still undelivered then is recorded as failed.
   */
  async settle(): Promise<void> {
    await this.webhooks?.drain(WEBHOOK_SETTLE_MS);
  }

  close(): void {
    this.webhooks?.close();
    this.webhooks = undefined;
    this.rt?.close();
    this.rt = undefined;
    this.plainDb?.close();
    this.plainDb = undefined;
  }
}
