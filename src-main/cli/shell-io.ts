import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { WriteStream } from 'node:tty';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { formatError } from '../../src-shared/errors';
import { localShellPath } from '../shell/local-shell';
import { openRemoteSession } from '../shell/remote-session';
import { TERMINAL_TYPE } from '../shell/shell-process';
import { stepEnvironment } from '../transport/step-env';
import type { SshTransportOptions } from '../transport/ssh/open-client';
import { shellQuote } from '../transport/ssh/remote-command';
import { CliExit } from './io';

/** What `ssh` exits with when it fails itself: any other status is the remote shell's or command's. */
export const SHELL_FAILED = 255;

/** One argument is a command line for the remote shell; several are a command and its arguments, each kept whole. */
export function commandLine(args: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1) {
    const line = args[0] as string;
    if (line.trim() === '') throw new CliExit(2, 'flowdeck: the command after -- is empty');
    return line;
  }
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a))).join(' ');
}

/** A status the way a shell reports it: the exit code, or 128 + the number of the signal that killed it. */
function statusOf(code: number | null | undefined, signal: string | null | undefined): number | undefined {
  if (typeof code === 'number') return code;
  if (!signal) return undefined;
  const n = osConstants.signals[(signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals];
  return typeof n === 'number' ? 128 + n : SHELL_FAILED;
}

/** The terminal the operator looks at (stdout, else stderr when stdout is redirected). */
function terminalOut(): WriteStream | undefined {
  return [process.stdout, process.stderr].find((s) => s.isTTY);
}

/**
 * `flowdeck shell` on an SSH element, as `ssh HOST [COMMAND]` does it: with stdin a terminal and
 * no command, the login shell on a remote pty (raw mode, the window's size, resized with it);
 * otherwise no pty, stdin copied to the remote side until its end (the shell reads its commands
 * from it, or the command its input), stdout and stderr apart. Resolves to the remote status.
 */
export async function runRemoteShell(ssh: SshTransportOptions, element: ResolvedElement, command: string | undefined): Promise<number> {
  const stdin = process.stdin;
  const term = terminalOut();
  const interactive = command === undefined && stdin.isTTY === true;
  const size = (): { cols: number; rows: number } => ({ cols: term?.columns || 80, rows: term?.rows || 24 });
  const session = await openRemoteSession(ssh, element, {
    pty: interactive ? { term: process.env.TERM || TERMINAL_TYPE, ...size() } : null,
    ...(command !== undefined ? { command } : {}),
    signal: new AbortController().signal,
    interactive: true,
  });
  const { channel } = session;
  return new Promise<number>((resolve) => {
    const onResize = (): void => {
      const { cols, rows } = size();
      channel.setWindow(rows, cols, 0, 0);
    };
    channel.pipe(process.stdout, { end: false });
    channel.stderr.pipe(process.stderr, { end: false });
    if (interactive) {
      stdin.setRawMode(true);
      term?.on('resize', onResize);
    }
    // Input ends with stdin's end (EOF travels as the channel's end); a terminal's never ends.
    stdin.pipe(channel);
    // ssh2 gives the exit status with 'close' (once all output is read): an 'exit' listener put on
    // here could come too late for a command that ended before the channel reached this code.
    channel.on('close', (code?: number | null, signal?: string) => {
      const status = statusOf(code, signal);
      stdin.unpipe(channel);
      stdin.pause();
      if (interactive) {
        term?.off('resize', onResize);
        stdin.setRawMode(false);
      }
      const lost = session.lost();
      session.close();
      if (status === undefined) {
        process.stderr.write(`${interactive ? '\r\n' : ''}flowdeck: ${element.id} (${element.host}:${element.port}): ${lost ?? 'the session ended without an exit status'}\n`);
      }
      resolve(status ?? SHELL_FAILED);
    });
  });
}

/**
 * `flowdeck shell` on a local element: the operator's shell (or the command, by /bin/sh) on
 * this very terminal and these very pipes, with the environment steps get. Ctrl-C and Ctrl-\
 * reach the shell, not this process, which waits for it and passes its status on.
 */
export function runLocalShell(command: string | undefined): Promise<number> {
  const env = stepEnvironment(process.env, {});
  const child = command === undefined ? spawn(localShellPath(), [], { stdio: 'inherit', env }) : spawn('/bin/sh', ['-c', command], { stdio: 'inherit', env });
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  return new Promise<number>((resolve) => {
    const done = (status: number): void => {
      process.off('SIGINT', ignore);
      process.off('SIGQUIT', ignore);
      resolve(status);
    };
    child.on('error', (e) => {
      process.stderr.write(`flowdeck: cannot start the local shell: ${formatError(e)}\n`);
      done(SHELL_FAILED);
    });
    child.on('close', (code, signal) => done(statusOf(code, signal) ?? SHELL_FAILED));
  });
}
