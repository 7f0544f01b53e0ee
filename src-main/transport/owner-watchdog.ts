import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/** Seconds between SIGTERM and SIGKILL when the watchdog stops the groups of a dead owner. */
const WATCHDOG_KILL_GRACE_S = 2;

/**
 * The watchdog itself, a POSIX sh loop. It keeps the list of registered process groups from
 * lines `+PGID` / `-PGID` on its standard input. EOF means the owner is gone (it exited, or was
 * killed: the kernel closes the pipe either way), and then every group still listed gets TERM,
 * and KILL after the grace period if any of it is left. Terminal signals are ignored: a Ctrl-C
 * is the owner's to handle (it cancels the run and kills the commands itself).
 */
const SCRIPT = `trap '' INT HUP QUIT
groups=' '
while IFS= read -r line; do
  case $line in
    +*) groups="$groups\${line#+} " ;;
    -*) id=\${line#-}; case $groups in *" $id "*) groups="\${groups%% $id *} \${groups#* $id }" ;; esac ;;
  esac
done
[ "$groups" = ' ' ] && exit 0
for g in $groups; do kill -TERM -$g 2>/dev/null; done
i=0
while [ $i -lt ${WATCHDOG_KILL_GRACE_S * 10} ]; do
  left=
  for g in $groups; do kill -0 -$g 2>/dev/null && left=1; done
  [ -z "$left" ] && exit 0
  sleep 0.1
  i=$((i+1))
done
for g in $groups; do kill -KILL -$g 2>/dev/null; done
`;

/**
 * Stops this process's local commands when this process dies without doing it itself (kill -9,
 * a crash, the machine's OOM killer). Each local command runs as its own process group, so
 * nothing the kernel does to this process reaches it, and Node has no PR_SET_PDEATHSIG. One small
 * watchdog process per owner holds the other end of a pipe and the list of groups; it costs
 * nothing while the owner lives (it sleeps in read) and is started with the first command.
 *
 * A group is registered right after its command is spawned and dropped once the command's
 * output has closed, so a daemon a step leaves behind on purpose (`nohup x &`, its output
 * elsewhere) outlives the step as it would outlive a shell.
 */
class OwnerWatchdog {
  private child: ChildProcess | undefined;
  private readonly groups = new Set<number>();
  /** Set when /bin/sh cannot be started: commands then run unguarded rather than not at all. */
  private broken = false;

  register(pgid: number): void {
    this.groups.add(pgid);
    if (this.child) this.send(this.child, `+${pgid}\n`);
    else this.start();
  }

  unregister(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    if (this.child) this.send(this.child, `-${pgid}\n`);
  }

  /** The pid of the watchdog process, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts a watchdog and gives it every group registered so far. */
  private start(): void {
    if (this.broken) return;
    // Its own session: a signal to the owner's terminal or process group does not reach it.
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    const gone = (): void => {
      // Killed by someone: the next command starts a new one, told every group still running.
      if (this.child === child) this.child = undefined;
    };
    child.on('error', () => {
      this.broken = true;
      gone();
    });
    child.on('exit', gone);
    child.stdin?.on('error', gone);
    // Neither the process nor the pipe keeps this process alive; at its exit the pipe closes and the watchdog ends.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    this.child = child;
    this.send(child, [...this.groups].map((g) => `+${g}\n`).join(''));
  }

  private send(child: ChildProcess, lines: string): void {
    // A pipe write is attempted at once, not queued, so a registration is in the pipe before a later kill -9.
    child.stdin?.write(lines);
  }
}

/** The watchdog of this process. */
export const ownerWatchdog = new OwnerWatchdog();
