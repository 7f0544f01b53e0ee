import { defaultDbPath } from '../store/paths';
import { openRuntime, type EngineRuntime } from '../engine/runtime';
import { terminalHostKeyAsker } from './host-key-prompt';

/** Opens the engine lazily: `--help` and argument errors never touch the database. */
export class CliContext {
  private rt: EngineRuntime | undefined;
  dbPath: string = defaultDbPath();

  async runtime(): Promise<EngineRuntime> {
    if (!this.rt) {
      const ask = terminalHostKeyAsker();
      this.rt = await openRuntime(this.dbPath, ask ? { askHostKey: ask } : {});
    }
    return this.rt;
  }

  close(): void {
    this.rt?.close();
    this.rt = undefined;
  }
}
