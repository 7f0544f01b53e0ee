import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { openDb, type Db } from '../store/db';
import { loadSandbox } from '../sandbox';
import { localTransport } from '../transport/local';
import { TransportError, type Connection, type Transport } from '../transport/types';
import type { EngineDeps } from './context';
import { EngineEvents } from './events';
import { currentOwner, recoverInterrupted, startHeartbeat } from './ownership';

/** Transports by element kind; `ssh` slots in here without engine changes. */
export type TransportTable = Partial<Record<ResolvedElement['transport'], Transport>>;

function unavailable(kind: string): Transport {
  return {
    kind,
    connect(element): Promise<Connection> {
      return Promise.reject(new TransportError('unavailable', `${element.id}: no "${kind}" transport is available in this build`));
    },
  };
}

export interface EngineRuntime {
  deps: EngineDeps;
  db: Db;
  close(): void;
}

/**
 * Opens the database, loads the sandbox, marks dead processes' runs interrupted and starts
 * this process's heartbeat: the same start-up for the CLI, the console and the tests.
 */
export async function openRuntime(dbPath: string, opts: { transports?: TransportTable; nativeBinding?: string } = {}): Promise<EngineRuntime> {
  const db = openDb(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const sandbox = await loadSandbox();
  const owner = currentOwner();
  recoverInterrupted(db, owner);
  const stopHeartbeat = startHeartbeat(db, owner);
  const table: TransportTable = { local: localTransport, ...opts.transports };
  const deps: EngineDeps = {
    db,
    sandbox,
    events: new EngineEvents(),
    owner,
    transportFor: (element, local) => (local ? localTransport : (table[element.transport] ?? unavailable(element.transport))),
  };
  return {
    deps,
    db,
    close() {
      stopHeartbeat();
      db.close();
    },
  };
}
