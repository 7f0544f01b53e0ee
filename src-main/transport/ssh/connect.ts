import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import { TransportError } from '../types';
import type { AuthPlan } from './auth';
import { verifyHostKey, type VerifyContext } from './host-verify';
import type { Ssh2Module } from './ssh2-module';

export interface Hop {
  element: ResolvedElement;
  auth: AuthPlan;
  verify: Omit<VerifyContext, 'host' | 'port' | 'element' | 'policy'>;
  /** Key types to ask the server for first (those already trusted), as OpenSSH does. */
  knownTypes: string[];
}

export interface ConnectOptions {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  signal: AbortSignal;
}

function label(e: ResolvedElement): string {
  return `${e.id} (${e.host}:${e.port})`;
}

/** A TCP connection to the element, Nagle off; rejects with a TransportError saying why not. */
export function tcp(e: ResolvedElement, opts: Pick<ConnectOptions, 'connectTimeoutMs' | 'signal'>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: e.host, port: e.port });
    // ssh2 leaves Nagle on for a socket it did not open; small step commands pay for it in latency.
    sock.setNoDelay(true);
    // Whichever way it ends, the timer and the listener go: a cancelled connect must not keep
    // the process alive until its timeout.
    const settle = (): void => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      settle();
      sock.destroy();
      reject(new TransportError('timeout', `${label(e)}: connect timeout after ${opts.connectTimeoutMs / 1000} s`));
    }, opts.connectTimeoutMs);
    const onAbort = (): void => {
      settle();
      sock.destroy();
      reject(new TransportError('unreachable', `${label(e)}: connection cancelled`));
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => {
      settle();
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      settle();
      const why =
        err.code === 'ECONNREFUSED'
          ? 'connection refused (is sshd running on that port?)'
          : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
            ? 'host unreachable'
            : err.code === 'ENOTFOUND'
              ? 'unknown host name'
              : err.message;
      reject(new TransportError('unreachable', `${label(e)}: ${why}`));
    });
  });
}

/** SSH handshake, host key check and authentication over an open stream (TCP, or a tunnel through a jump host). */
function handshake(ssh2: Ssh2Module, hop: Hop, sock: Duplex, opts: ConnectOptions): Promise<Client> {
  const e = hop.element;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let refusal: TransportError | undefined;
    let settled = false;
    const fail = (err: TransportError): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    const config: ConnectConfig = {
      sock: sock as ConnectConfig['sock'],
      username: hop.auth.username,
      authHandler: hop.auth.methods,
      readyTimeout: opts.connectTimeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      // Troubleshooting aid: FLOWDECK_SSH_DEBUG=1 prints ssh2's protocol trace on stderr.
      ...(process.env.FLOWDECK_SSH_DEBUG ? { debug: (m: string) => process.stderr.write(`[ssh ${e.id}] ${m}\n`) } : {}),
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey({ ...hop.verify, element: e.id, host: e.host, port: e.port, policy: e.hostKeyPolicy }, key).then(
          (r) => {
            if (r !== true) refusal = r;
            verify(r === true);
          },
          (err: unknown) => {
            refusal = new TransportError('host-key', `${label(e)}: host key check failed: ${String(err)}`);
            verify(false);
          },
        );
      },
    };
    if (hop.knownTypes.length > 0) {
      config.algorithms = { serverHostKey: hop.knownTypes as NonNullable<NonNullable<ConnectConfig['algorithms']>['serverHostKey']> };
    }
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    // `on`, not `once`: a failed handshake can raise a second error (the socket closing after a
    // timeout or a reset), and an error with no listener would take the whole process down.
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (refusal) return fail(refusal);
      if (err.level === 'client-authentication') {
        return fail(new TransportError('auth', `${label(e)}: authentication failed for user "${hop.auth.username}" (tried: ${hop.auth.tried.join(', ')})`));
      }
      if (err.level === 'client-timeout') return fail(new TransportError('timeout', `${label(e)}: no SSH handshake within ${opts.connectTimeoutMs / 1000} s (is it an SSH server?)`));
      if (err.code === 'ECONNRESET') return fail(new TransportError('unreachable', `${label(e)}: the host reset the connection before the SSH handshake finished`));
      fail(new TransportError('protocol', `${label(e)}: ${err.message}`));
    });
    client.once('close', () => fail(refusal ?? new TransportError('protocol', `${label(e)}: the server closed the connection during the handshake`)));
    opts.signal.addEventListener('abort', () => fail(new TransportError('unreachable', `${label(e)}: connection cancelled`)), { once: true });
    client.connect(config);
  });
}

function forward(via: Client, to: ResolvedElement, from: ResolvedElement): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (err, stream) => {
      if (err) reject(new TransportError('unreachable', `${label(to)}: jump host ${from.id} could not open a tunnel: ${err.message}`));
      else resolve(stream);
    });
  });
}

/**
 * Connects through each jump host in turn (ProxyJump chains) to the last hop, the first over
 * `first` (a TCP connection to the first hop, already on its way); returns every client so
 * closing the connection closes the tunnels too.
 */
export async function connectChain(ssh2: Ssh2Module, hops: readonly Hop[], first: Promise<Socket>, opts: ConnectOptions): Promise<Client[]> {
  const clients: Client[] = [];
  try {
    let prev: { client: Client; element: ResolvedElement } | undefined;
    for (const hop of hops) {
      const stream: Duplex = prev ? await forward(prev.client, hop.element, prev.element) : await first;
      const client = await handshake(ssh2, hop, stream, opts);
      clients.push(client);
      prev = { client, element: hop.element };
    }
    return clients;
  } catch (e) {
    for (const c of clients.reverse()) c.end();
    throw e;
  }
}
