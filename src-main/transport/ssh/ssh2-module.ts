import type Ssh2 from 'ssh2';

/** ssh2's CommonJS exports, as Node's ESM loader hands them over (its default export). */
export type Ssh2Module = typeof Ssh2;

/** How ssh2 parses a key: what planning the authentication needs of it. */
export type KeyParser = Ssh2Module['utils']['parseKey'];

let loading: Promise<Ssh2Module> | undefined;

/**
 * ssh2 (and the crypto it sets up) loads with the first SSH connection, and only after that
 * connection's TCP socket is on its way: the server starts its session process while the client
 * spends its ~25 ms loading ssh2, instead of one after the other. A command that never connects
 * never loads it.
 */
export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= import('ssh2').then((m) => m.default);
  return loading;
}
