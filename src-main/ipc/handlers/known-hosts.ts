import type { Handlers } from '../../../src-shared/ipc/contract';
import { forgetHostKeys, listKnownHosts } from '../../store/known-host-queries';
import type { EngineRuntime } from '../../engine/runtime';

export type KnownHostHandlers = Pick<Handlers, 'knownHosts/list' | 'knownHosts/remove' | 'hostKey/answer'>;

/** Who answers `hostKey/question` events: the console's host key broker. */
export interface HostKeyAnswers {
  answer(id: string, trust: boolean): boolean;
}

/** Keys Flowdeck trusts (fingerprints, not the key blobs), and the operator's answers to unknown ones. */
export function knownHostHandlers(rt: EngineRuntime, hostKeys: HostKeyAnswers | undefined): KnownHostHandlers {
  return {
    'knownHosts/list': async () =>
      listKnownHosts(rt.db).map((k) => ({ host: k.host, port: k.port, keyType: k.keyType, fingerprint: k.fingerprint, addedAt: k.addedAt })),

    'knownHosts/remove': async ({ host, port }) => ({ removed: forgetHostKeys(rt.db, host, port) }),

    /** `accepted: false` when no question with this id waits any more (answered, timed out, or never asked). */
    'hostKey/answer': async ({ id, trust }) => ({ accepted: hostKeys?.answer(id, trust) ?? false }),
  };
}
