// Runner processes for the runner suites: `flowdeck runner` started as its own process, each in
// a workspace of its own (its own database: credentials and known hosts), and owners' inventories
// with zoned elements.
import type { ChildProcess } from 'node:child_process';
import type { ElementInput } from '../../src-shared/domain/inventory';
import { elementSchema } from '../../src-shared/domain/inventory';
import { openDb } from '../../src-main/store/db';
import { saveInventory } from '../../src-main/store/inventory-queries';
import { collect, waitFor, Workspace, type CliResult } from './cli';

export interface RunnerProcess {
  name: string;
  zone: string;
  ws: Workspace;
  child: ChildProcess;
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Sends `signal` and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** kill -9, and waits for the process to be gone. */
  kill9(): Promise<void>;
  /** The process ended (by itself or by stop/kill9). */
  readonly ended: Promise<CliResult>;
}

export interface RunnerStart {
  zone: string;
  name: string;
  redisUrl: string;
  concurrency?: number;
  /** Arguments added after the usual ones (`--insecure-redis`). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Prepares the runner's database (credentials) before it starts. */
  prepare?(ws: Workspace): Promise<void>;
}

/** Starts `flowdeck runner` and waits until it takes steps. */
export async function startRunnerProcess(o: RunnerStart): Promise<RunnerProcess> {
  const ws = new Workspace(`flowdeck-runner-${o.name}-`);
  ws.env = { FLOWDECK_REDIS_URL: o.redisUrl, ...o.env };
  await o.prepare?.(ws);
  const args = ['runner', '--zone', o.zone, '--name', o.name, ...(o.concurrency ? ['--concurrency', String(o.concurrency)] : []), ...(o.args ?? [])];
  const child = ws.spawn(args);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const ended = collect(child);
  let exited = false;
  void ended.then(() => (exited = true));
  await waitFor(`runner ${o.name} to take steps`, () => {
    if (exited) throw new Error(`runner ${o.name} exited before it took steps:\n${text}`);
    return text.includes('taking steps of zone');
  }, 20_000, 25);
  return {
    name: o.name,
    zone: o.zone,
    ws,
    child,
    pid: child.pid as number,
    output: () => text,
    ended,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!exited) child.kill(signal);
      return ended;
    },
    async kill9() {
      if (!exited) child.kill('SIGKILL');
      await ended;
    },
  };
}

/** Writes an owner's inventory straight into its database: the elements as given, zones included. */
export function saveOwnerInventory(ws: Workspace, elements: ElementInput[]): void {
  const db = openDb(ws.db);
  try {
    saveInventory(db, { profiles: [], groups: [], elements: elements.map((e) => elementSchema.parse(e)) });
  } finally {
    db.close();
  }
}
