import type { Db } from '../../store/db';
import { trustHostKey } from '../../store/known-host-queries';
import type { HostKeyBook } from './host-key-check';
import type { HostKeyPolicy } from '../../../src-shared/domain/inventory';
import { TransportError } from '../types';

/** What the operator is asked when a host's key is unknown (the UI and the CLI's terminal answer). */
export interface HostKeyQuestion {
  element: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

export type HostKeyAsker = (q: HostKeyQuestion) => Promise<boolean>;

export interface VerifyContext {
  db: Db;
  book: HostKeyBook;
  policy: HostKeyPolicy;
  /** Present only when a person can answer (a terminal, the window); scheduled runs have none. */
  ask: HostKeyAsker | undefined;
  element: string;
  host: string;
  port: number;
}

/**
 * Decides whether to trust the key the server showed. Resolves true to go on; resolves an
 * error to refuse (the caller fails the connection with exactly that message).
 */
export async function verifyHostKey(v: VerifyContext, key: Buffer): Promise<true | TransportError> {
  const verdict = v.book.check(v.host, v.port, key);
  const where = `${v.element} (${v.host}:${v.port})`;
  switch (verdict.status) {
    case 'known':
      return true;
    case 'revoked':
      return new TransportError('host-key', `${where}: the host key ${verdict.keyType} ${verdict.fingerprint} is marked @revoked in ${verdict.where}; refusing to connect`);
    case 'changed':
      return new TransportError(
        'host-key',
        `${where}: HOST KEY CHANGED. The host now shows ${verdict.keyType} ${verdict.fingerprint}, but ${verdict.where} trusts ${verdict.expected.join(' / ')}. ` +
          'Someone may be intercepting the connection, or the host was reinstalled. Refusing to connect; if the change is expected, remove the old key (flowdeck known-hosts rm) and trust the new one.',
      );
    case 'unknown': {
      const trust = (): true => {
        trustHostKey(v.db, { host: v.host, port: v.port, keyType: verdict.keyType, key: key.toString('base64'), fingerprint: verdict.fingerprint });
        return true;
      };
      if (v.policy === 'accept-new') return trust();
      if (v.ask) {
        const yes = await v.ask({ element: v.element, host: v.host, port: v.port, keyType: verdict.keyType, fingerprint: verdict.fingerprint });
        return yes ? trust() : new TransportError('host-key', `${where}: host key ${verdict.keyType} ${verdict.fingerprint} was not trusted by the operator`);
      }
      return new TransportError(
        'host-key',
        `${where}: unknown host key ${verdict.keyType} ${verdict.fingerprint}; nobody can confirm it in a non-interactive run. ` +
          `Check the fingerprint, then trust it (flowdeck known-hosts add ${v.host}:${v.port} --fingerprint ${verdict.fingerprint}) or set the element's hostKeyPolicy to accept-new`,
      );
    }
  }
}
