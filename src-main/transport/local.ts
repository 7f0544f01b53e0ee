import { spawn } from 'node:child_process';
import type { Connection, ExecRequest, ExecResult, Transport } from './types';
import { ownerWatchdog } from './owner-watchdog';
import { stepEnvironment } from './step-env';

/** Grace between SIGTERM and SIGKILL when a command is aborted. */
const KILL_GRACE_MS = 2000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole process group, so `sh -c 'sleep 100'` leaves no orphan sleep behind.
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function execLocal(req: ExecRequest): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (req.signal.aborted) {
      resolve({ exitCode: null, signal: 'SIGTERM' });
      return;
    }
    const child = spawn('/bin/sh', ['-c', req.command], {
      detached: true,
      env: stepEnvironment(process.env, req.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // detached: the command leads its own process group, which the watchdog stops if this process dies.
    const pgid = child.pid;
    if (pgid !== undefined) ownerWatchdog.register(pgid);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => req.onOutput('stdout', d));
    child.stderr.on('data', (d: Buffer) => req.onOutput('stderr', d));
    child.stdin.on('error', () => {
      // The command may exit without reading its input; that is its business, not an error.
    });
    if (req.stdin !== undefined) child.stdin.end(req.stdin);
    else child.stdin.end();
    child.on('error', (err) => {
      req.signal.removeEventListener('abort', onAbort);
      if (pgid !== undefined) ownerWatchdog.unregister(pgid);
      reject(err);
    });
    child.on('close', (code, sig) => {
      req.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // A background child of the command may still hold the group; make sure nothing outlives an abort.
      if (req.signal.aborted && pgid !== undefined) killGroup(pgid, 'SIGKILL');
      if (pgid !== undefined) ownerWatchdog.unregister(pgid);
      resolve({ exitCode: code, signal: sig });
    });
  });
}

/**
 * Runs commands on the operator's machine, each in its own process group, with the operator's
 * environment minus Flowdeck's own variables (see step-env), and stopped by the owner watchdog
 * if this process dies while they run.
 */
export const localTransport: Transport = {
  kind: 'local',
  connect(): Promise<Connection> {
    return Promise.resolve({ exec: execLocal, close: () => Promise.resolve() });
  },
};
