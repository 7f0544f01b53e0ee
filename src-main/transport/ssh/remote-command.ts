import { randomBytes } from 'node:crypto';

/** POSIX single-quoting: the one quoting that survives every shell unchanged. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** First line on stderr, before the command's own output: the remote process group id. */
export const PGID_MARKER = '\x1eFLOWDECK_PGID=';

/** Seconds between SIGTERM and SIGKILL when a command's group is stopped on the host. */
export const REMOTE_KILL_GRACE_S = 2;

/** A script step's body as it is sent: the script, then a token that proves it arrived whole. */
export interface RemoteInput {
  /** Script bytes followed by the token: what the client writes on the channel, and then nothing more. */
  payload: Buffer;
  bytes: number;
  token: string;
}

export function remoteInput(script: string): RemoteInput {
  let token: string;
  do token = `FLOWDECK_END_${randomBytes(8).toString('hex')}`;
  while (script.includes(token));
  const payload = Buffer.from(script + token, 'utf8');
  return { payload, bytes: payload.length, token };
}

/**
 * The lifeline: a small shell of its own (`flowdeck-lifeline GROUP SESSION` in `ps`, not a copy
 * of the command's text) that blocks reading the channel's standard input, which Flowdeck keeps
 * open (and never writes to after a script's body) for as long as the command runs. sshd closes
 * it when the connection goes away, and without a pty sshd signals nothing to the command itself,
 * which would run on to its end. At EOF the lifeline stops the whole process group (TERM, then
 * KILL), unless the command has ended already (the lifeline belongs to the group, so its id
 * cannot have been reused) or the session is still there (a client that simply closed its input
 * early: then it waits for sshd's session process, the shell's parent, to go). It ignores TERM
 * so that it survives its own kill of the group.
 */
const LIFELINE_SCRIPT = [
  'while read -r _; do :; done',
  'kill -0 "$1" 2>/dev/null || exit 0',
  'while kill -0 "$2" 2>/dev/null; do sleep 1; done',
  `trap "" TERM; kill -TERM -"$1" 2>/dev/null; sleep ${REMOTE_KILL_GRACE_S}; kill -KILL -"$1" 2>/dev/null`,
].join('; ');
const LIFELINE = `/bin/sh -c '${LIFELINE_SCRIPT}' flowdeck-lifeline $$ $PPID <&3 >/dev/null 2>&1 &`;

/**
 * Wraps a command so that it never outlives Flowdeck's hold on it: cancel and timeouts kill its
 * process group through the reported pgid, and the lifeline kills it when the connection drops.
 * sshd makes the session's shell a process-group leader (setsid), so `$$` names the group the
 * command and its children share. The command runs in that same login shell, in a `{ }` group
 * (no second shell: the bench showed one costs ~0.5 ms a step); newlines, not `;`, keep a
 * leading comment in the command from swallowing the rest. Variables are exported in the
 * command: sshd drops `env` requests unless AcceptEnv allows them, and Flowdeck sends none.
 *
 * Standard input: a `run` command reads /dev/null, as it would from a channel closed at once.
 * A `script` step's interpreter reads exactly the script, then EOF: the body is read off the
 * channel first (`head -c`, it never reads past what it is given, and nothing follows) and
 * checked for the token that ends it, so a body cut short by a dropped connection never runs.
 * Only then does the lifeline start reading the channel.
 *
 * A background process the command leaves behind after it ends (`nohup daemon &`) is left
 * alone, as plain ssh leaves it: the lifeline is disarmed when the shell exits.
 */
export function wrapRemoteCommand(command: string, env: Record<string, string>, input?: Pick<RemoteInput, 'bytes' | 'token'>): string {
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  const lines = [`printf '\\036FLOWDECK_PGID=%s\\n' "$$" >&2`];
  if (exports) lines.push(`export ${exports}`);
  if (input) {
    lines.push(
      `__flowdeck_in=$(head -c ${input.bytes}; echo .)`,
      `case $__flowdeck_in in *${input.token}.) __flowdeck_in=\${__flowdeck_in%${input.token}.} ;; *) echo 'flowdeck: the script did not arrive whole; not run' >&2; exit 255 ;; esac`,
    );
  }
  lines.push(`exec 3<&0`, LIFELINE, `__flowdeck_lifeline=$!`, `exec 3<&-`, `trap 'kill $__flowdeck_lifeline 2>/dev/null' EXIT`);
  if (input) lines.push(`printf '%s' "$__flowdeck_in" | {`, command, `}`);
  else lines.push(`{`, command, `} </dev/null`);
  return lines.join('\n');
}

/**
 * Kills the remote group politely, then for good after a grace period. No `--` before the
 * negative pid: dash's kill (Debian's /bin/sh) rejects it as an illegal number.
 */
export function killCommand(pgid: number, graceSeconds: number): string {
  return `kill -TERM -${pgid} 2>/dev/null; i=0; while [ $i -lt ${graceSeconds * 10} ] && kill -0 -${pgid} 2>/dev/null; do sleep 0.1; i=$((i+1)); done; kill -KILL -${pgid} 2>/dev/null; true`;
}
