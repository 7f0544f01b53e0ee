import { defaultDbPath } from '../store/paths';
import { openRuntime, type EngineRuntime } from '../engine/runtime';

/** Opens the engine lazily: `--help` and argument errors never touch the database. */
export class CliContext {
  private rt: EngineRuntime | undefined;
  dbPath: string = defaultDbPath();

  async runtime(): Promise<EngineRuntime> {
    this.rt ??= await openRuntime(this.dbPath);
    return this.rt;
  }

  close(): void {
    this.rt?.close();
    this.rt = undefined;
  }
}
