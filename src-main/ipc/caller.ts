import { randomUUID } from 'node:crypto';
import type { EventName, Events } from '../../src-shared/ipc/contract';

/**
 * The window a request came from: the desktop window's page, or one WebSocket of the headless
 * console. Requests about something a window owns (its shell sessions) are answered only for
 * that window, events about it go to that window alone, and what it owns ends when it goes.
 * Every adapter makes one per connection and hands it to the dispatcher with each request.
 */
export interface Caller {
  readonly id: string;
  /** Pushes an event to this window alone. */
  send<E extends EventName>(event: E, payload: Events[E]): void;
  /** Runs `listener` once when the window goes away; returns a function that forgets it. */
  onGone(listener: () => void): () => void;
}

export interface CallerHandle {
  caller: Caller;
  /** The window went away (socket closed, page reloaded or destroyed): runs every listener once. */
  gone(): void;
}

export function createCaller(send: <E extends EventName>(event: E, payload: Events[E]) => void): CallerHandle {
  const listeners = new Set<() => void>();
  let isGone = false;
  const caller: Caller = {
    id: randomUUID(),
    send: (event, payload) => {
      if (!isGone) send(event, payload);
    },
    onGone(listener) {
      if (isGone) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  return {
    caller,
    gone() {
      if (isGone) return;
      isGone = true;
      for (const l of [...listeners]) {
        try {
          l();
        } catch (e) {
          process.stderr.write(`flowdeck: cleaning up after a closed window: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
      listeners.clear();
    },
  };
}
