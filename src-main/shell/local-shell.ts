import { accessSync, constants as fsConstants } from 'node:fs';
import { constants as osConstants, homedir } from 'node:os';
import { FlowdeckError, formatError } from '../../src-shared/errors';
import { ownerWatchdog } from '../transport/owner-watchdog';
import { stepEnvironment } from '../transport/step-env';
import { TERMINAL_TYPE, type ShellExit, type ShellProcess, type TerminalSize } from './shell-process';

type NodePty = typeof import('node-pty');

/** Seconds a hung-up shell gets before its process group is killed. */
const HANGUP_GRACE_MS = 2000;

let nodePty: Promise<NodePty> | undefined;

/** node-pty is a native addon: loaded on the first local shell, and a build that cannot load says so in one line. */
function loadNodePty(): Promise<NodePty> {
  nodePty ??= import('node-pty').catch((e: unknown) => {
    nodePty = undefined;
    throw new FlowdeckError('transport', `local shells need the node-pty addon, which does not load here (${formatError(e)}); reinstall Flowdeck's dependencies (npm install)`);
  });
  return nodePty;
}

/** The operator's login shell when it can be run, else /bin/sh. */
export function localShellPath(env: NodeJS.ProcessEnv = process.env): string {
  const shell = env.SHELL;
  if (shell && shell.startsWith('/')) {
    try {
      accessSync(shell, fsConstants.X_OK);
      return shell;
    } catch {
      // not executable here: fall back
    }
  }
  return '/bin/sh';
}

function signalName(n: number | undefined): string | null {
  if (!n) return null;
  const found = Object.entries(osConstants.signals).find(([, v]) => v === n);
  return found ? found[0] : `signal ${n}`;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * The operator's shell on a local pseudo-terminal (node-pty), in their home folder, with the
 * environment steps get (no Flowdeck variables, so no secret reaches it). The shell leads its
 * own session and process group: closing hangs the group up, then kills what is left, and the
 * owner watchdog stops it if this process dies first.
 */
export async function openLocalShell(size: TerminalSize): Promise<ShellProcess> {
  const pty = await loadNodePty();
  const shell = localShellPath();
  let proc: ReturnType<NodePty['spawn']>;
  try {
    proc = pty.spawn(shell, [], {
      name: TERMINAL_TYPE,
      cols: size.cols,
      rows: size.rows,
      cwd: homedir(),
      env: stepEnvironment(process.env, { TERM: TERMINAL_TYPE, COLORTERM: 'truecolor' }),
    });
  } catch (e) {
    throw new FlowdeckError('transport', `cannot start the local shell ${shell}: ${formatError(e)}`);
  }
  const pgid = proc.pid;
  ownerWatchdog.register(pgid);
  let exitListener: ((exit: ShellExit) => void) | undefined;
  let ended: ShellExit | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  proc.onExit(({ exitCode, signal }) => {
    const sig = signalName(signal);
    ended = { code: sig ? null : exitCode, signal: sig };
    // Jobs the shell left in its group go with it, as a closed terminal window takes them.
    killGroup(pgid, 'SIGHUP');
    ownerWatchdog.unregister(pgid);
    if (killTimer) clearTimeout(killTimer);
    exitListener?.(ended);
  });

  return {
    onData: (l) => {
      proc.onData(l);
    },
    onExit: (l) => {
      exitListener = l;
      if (ended) l(ended);
    },
    write: (data) => {
      if (!ended) proc.write(data);
    },
    resize: ({ cols, rows }) => {
      if (!ended) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    close: () => {
      if (ended) return;
      killGroup(pgid, 'SIGHUP');
      proc.kill('SIGHUP');
      killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), HANGUP_GRACE_MS);
      killTimer.unref();
    },
  };
}
