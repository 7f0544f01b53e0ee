import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { openDb, type Db } from '../store/db';
import { loadSandbox } from '../sandbox';
import { localTransport } from '../transport/local';
import { sshTransport, type HostKeyAsker } from '../transport/ssh';
import { zonedTransport } from '../transport/runner';
import { TransportError, type Connection, type Transport } from '../transport/types';
import { keyFileCipher, type SecretCipher } from '../secrets/cipher';
import { redactionStrings } from '../secrets/credential-redaction';
import { masterKeyRedactionStrings } from '../secrets/master-key-redaction';
import { credentialSecretLookup, getCredentialSecret, listCredentials } from '../store/credential-queries';
import { loadInventory } from '../store/inventory-queries';
import { resolveElements } from '../inventory/resolve';
import type { EngineDeps } from './context';
import { EngineEvents } from './events';
import { sqliteStepJournal } from '../store/step-journal';
import { currentOwner, recoverInterrupted, startHeartbeat } from './ownership';
import { ControlHub } from './control-hub';
import { userInfo } from 'node:os';

/** Transports by element kind. */
export type TransportTable = Partial<Record<ResolvedElement['transport'], Transport>>;

function unavailable(kind: string): Transport {
  return {
    kind,
    connect(element): Promise<Connection> {
      return Promise.reject(new TransportError('unavailable', `${element.id}: no "${kind}" transport is available in this build`));
    },
  };
}

export interface RuntimeOptions {
  transports?: TransportTable;
  nativeBinding?: string;
  /** How secrets are encrypted at rest: safeStorage in the app, a key file or variable headless. */
  cipher?: SecretCipher;
  /** Set where a person can confirm an unknown host key (a terminal, the window). */
  askHostKey?: HostKeyAsker;
  /** OpenSSH known_hosts read besides Flowdeck's own table (default ~/.ssh/known_hosts, or $FLOWDECK_KNOWN_HOSTS). */
  knownHostsFile?: string;
  /** The name recorded on approvals given from this process (default: the OS user). */
  operator?: string;
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export interface EngineRuntime {
  deps: EngineDeps;
  db: Db;
  cipher: SecretCipher;
  close(): void;
}

/** Every stored secret, for redaction; a credential that cannot be decrypted here cannot leak here either. */
function allSecrets(db: Db, cipher: SecretCipher): string[] {
  const out: string[] = [];
  for (const c of listCredentials(db)) {
    if (c.kind === 'agent') continue;
    try {
      out.push(...redactionStrings(getCredentialSecret(db, cipher, c.id)));
    } catch {
      // the run that needs it fails with the decryption error itself
    }
  }
  return out;
}

/**
 * Opens the database, loads the sandbox, marks dead processes' runs interrupted and starts
 * this process's heartbeat: the same start-up for the CLI, the console and the tests.
 */
export async function openRuntime(dbPath: string, opts: RuntimeOptions = {}): Promise<EngineRuntime> {
  const db = openDb(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const sandbox = await loadSandbox();
  const owner = currentOwner();
  recoverInterrupted(db, owner);
  const stopHeartbeat = startHeartbeat(db, owner);
  const cipher = opts.cipher ?? keyFileCipher(dbPath);
  const ssh = sshTransport({
    db,
    credential: credentialSecretLookup(db, cipher),
    element: (id) => resolveElements(loadInventory(db)).find((e) => e.id === id),
    ...(opts.askHostKey ? { askHostKey: opts.askHostKey } : {}),
    ...((opts.knownHostsFile ?? process.env.FLOWDECK_KNOWN_HOSTS) ? { knownHostsFile: opts.knownHostsFile ?? process.env.FLOWDECK_KNOWN_HOSTS } : {}),
  });
  const table: TransportTable = { local: localTransport, ssh, ...opts.transports };
  const zoned = zonedTransport(db);
  const control = new ControlHub(db);
  const events = new EngineEvents();
  const deps: EngineDeps = {
    db,
    sandbox,
    events,
    journal: sqliteStepJournal(db, (run) => events.emit('stepRun', run)),
    owner,
    control,
    operator: opts.operator ?? operatorName(),
    // `target: local` runs here; an element with a zone runs on its zone's runners (a zoned
    // `transport: local` element is the runner's own machine); any other by its transport.
    transportFor: (element, local) => (local ? localTransport : element.zone ? zoned : (table[element.transport] ?? unavailable(element.transport))),
    secrets: () => [...allSecrets(db, cipher), ...masterKeyRedactionStrings(dbPath)],
  };
  return {
    deps,
    db,
    cipher,
    close() {
      control.close();
      void zoned.close();
      stopHeartbeat();
      db.close();
    },
  };
}
