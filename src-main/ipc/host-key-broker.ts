import { randomUUID } from 'node:crypto';
import type { Events } from '../../src-shared/ipc/contract';
import type { HostKeyAsker } from '../transport/ssh';

type Question = Events['hostKey/question'];

export interface HostKeyBroker {
  /** Give to openRuntime's `askHostKey`: emits `hostKey/question` and waits for the answer. */
  ask: HostKeyAsker;
  /** The operator's answer; false when no question with this id waits (answered, timed out, unknown). */
  answer(id: string, trust: boolean): boolean;
  /** Questions still waiting, to show a window that connects (or reloads) while one is open. */
  pending(): Question[];
  /** Refuses every waiting question (the console is shutting down). */
  close(): void;
}

export interface HostKeyBrokerOptions {
  /** Unanswered after this long, the key is not trusted. Default 5 minutes. */
  timeoutMs?: number;
}

interface Waiting {
  question: Question;
  settle(trust: boolean): void;
}

/**
 * Host key questions over IPC: an unknown key is shown to the operator with its
 * SHA256 fingerprint and trusted only on an explicit yes. No answer means no.
 */
type BrokerEmit = <E extends 'hostKey/question' | 'hostKey/settled'>(event: E, payload: Events[E]) => void;

export function createHostKeyBroker(emit: BrokerEmit, opts: HostKeyBrokerOptions = {}): HostKeyBroker {
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const waiting = new Map<string, Waiting>();
  let closed = false;

  const ask: HostKeyAsker = (q) => {
    if (closed) return Promise.resolve(false);
    const id = randomUUID();
    const question: Question = { id, element: q.element, host: q.host, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint };
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      const settle = (trust: boolean): void => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(trust);
        // Every window closes its dialog: answered here or elsewhere, timed out, or given up.
        try {
          emit('hostKey/settled', { id });
        } catch {
          // a window that cannot be told still gets its answer refused on reply (the id is gone)
        }
      };
      waiting.set(id, { question, settle });
      try {
        emit('hostKey/question', question);
      } catch {
        settle(false);
      }
    });
  };

  return {
    ask,
    answer(id, trust) {
      const w = waiting.get(id);
      if (!w) return false;
      w.settle(trust);
      return true;
    },
    pending: () => [...waiting.values()].map((w) => w.question),
    close() {
      closed = true;
      for (const w of [...waiting.values()]) w.settle(false);
    },
  };
}
