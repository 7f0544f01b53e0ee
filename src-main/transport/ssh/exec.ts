import type { Client, ClientChannel } from 'ssh2';
import type { ExecRequest, ExecResult } from '../types';
import { TransportError } from '../types';
import { killCommand, PGID_MARKER, REMOTE_KILL_GRACE_S, remoteInput, wrapRemoteCommand } from './remote-command';

/** Strips the process-group marker line from the start of stderr and reports the pgid. */
class MarkerReader {
  private head = '';
  private done = false;
  constructor(
    private readonly onPgid: (pgid: number) => void,
    private readonly pass: (data: Buffer) => void,
  ) {}

  push(data: Buffer): void {
    if (this.done) return this.pass(data);
    this.head += data.toString('latin1');
    const nl = this.head.indexOf('\n');
    if (nl < 0 && this.head.length < 64) return;
    this.done = true;
    const first = nl < 0 ? this.head : this.head.slice(0, nl);
    let rest = this.head;
    if (first.startsWith(PGID_MARKER)) {
      const pgid = Number(first.slice(PGID_MARKER.length));
      if (Number.isInteger(pgid) && pgid > 1) this.onPgid(pgid);
      rest = this.head.slice(nl + 1);
    }
    this.head = '';
    if (rest) this.pass(Buffer.from(rest, 'latin1'));
  }
}

function openChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => (err ? reject(err) : resolve(ch)));
  });
}

/** Runs one command on an open connection, streaming its output; abort kills the remote process group. */
export function sshExec(client: Client, label: string, req: ExecRequest, connectionLost: () => string | undefined): Promise<ExecResult> {
  if (req.signal.aborted) return Promise.resolve({ exitCode: null, signal: 'TERM' });
  return new Promise((resolve, reject) => {
    // Listeners go on inside the callback, synchronously: ssh2 may parse the command's output,
    // exit status and close in the same tick it hands the channel over (a fast command).
    const input = req.stdin !== undefined ? remoteInput(req.stdin) : undefined;
    client.exec(wrapRemoteCommand(req.command, req.env, input), (err, ch) => {
      if (err) {
        reject(new TransportError('protocol', `${label}: cannot start the command: ${connectionLost() ?? err.message}`));
        return;
      }
      let pgid: number | undefined;
      let exit: ExecResult | undefined;
      let killRequested = false;
      const kill = (): void => {
        if (pgid === undefined) return;
        // A separate channel on the same connection: the command's own channel may be blocked on output.
        openChannel(client, killCommand(pgid, REMOTE_KILL_GRACE_S)).then(
          (k) => k.resume().on('close', () => ch.close()),
          () => ch.close(),
        );
      };
      const onAbort = (): void => {
        killRequested = true;
        try {
          ch.signal('TERM'); // honoured by sshd versions that implement the "signal" request
        } catch {
          // the channel is already gone
        }
        kill();
      };
      const markers = new MarkerReader(
        (id) => {
          pgid = id;
          if (killRequested) kill();
        },
        (d) => req.onOutput('stderr', d),
      );
      ch.on('data', (d: Buffer) => req.onOutput('stdout', d));
      ch.stderr.on('data', (d: Buffer) => markers.push(d));
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = { exitCode: typeof code === 'number' ? code : null, signal: signal ?? null };
      });
      ch.on('close', () => {
        req.signal.removeEventListener('abort', onAbort);
        if (exit) return resolve(exit);
        if (killRequested) return resolve({ exitCode: null, signal: 'TERM' });
        const lost = connectionLost();
        reject(new TransportError('protocol', lost ? `${label}: ${lost}` : `${label}: the host closed the channel without an exit status`));
      });
      req.signal.addEventListener('abort', onAbort, { once: true });
      // Our side of the channel stays open until the command ends: the remote lifeline reads
      // it, and its EOF means this connection is gone (see wrapRemoteCommand).
      if (input) ch.write(input.payload);
    });
  });
}
