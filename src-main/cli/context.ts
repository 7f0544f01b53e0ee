import { defaultDbPath } from '../store/paths';
import type { Db } from '../store/db';
import type { EngineRuntime } from '../engine/runtime';

/**
 * Opens what a command needs, when it first asks: `--help` and argument errors touch nothing,
 * commands that read or edit records open only the database, and only commands that run or
 * control executions load the engine (sandbox, transports, ssh2). Each is imported here, on
 * first use, so a short command never pays for loading the others.
 */
export class CliContext {
  private rt: EngineRuntime | undefined;
  private plainDb: Db | undefined;
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
      const [{ openRuntime }, { terminalHostKeyAsker }] = await Promise.all([import('../engine/runtime'), import('./host-key-prompt')]);
      const ask = terminalHostKeyAsker();
      this.plainDb?.close();
      this.plainDb = undefined;
      this.rt = await openRuntime(this.dbPath, ask ? { askHostKey: ask } : {});
    }
    return this.rt;
  }

  close(): void {
    this.rt?.close();
    this.rt = undefined;
    this.plainDb?.close();
    this.plainDb = undefined;
  }
}
