import type { EventName, Events } from '../../src-shared/ipc/contract';
import { LiveExecutions } from '../engine/live-executions';
import { openRuntime, type EngineRuntime, type RuntimeOptions } from '../engine/runtime';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createEventBatcher } from '../ipc/event-batcher';
import { createHandlers } from '../ipc/handlers';
import { createHostKeyBroker, type HostKeyBroker } from '../ipc/host-key-broker';
import { startBackground } from '../services/background';

/** Sends one event to every window (the desktop window, the console's WebSocket clients). */
export type Broadcast = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface EngineHost {
  rt: EngineRuntime;
  live: LiveExecutions;
  /** Every request channel, validated, answering `{ ok, value } | { ok: false, error }`. */
  dispatch: Dispatch;
  hostKeys: HostKeyBroker;
  /** Stops the background services, ends this process's runs (a paused one stays paused), flushes the events, closes the database. */
  close(reason: string): Promise<void>;
}

/**
 * The one composition root of the app and the headless console: the engine on the database, the
 * runs this process owns, the background services (scheduler, retention, other processes'
 * runs), the dispatcher, batched events out and the host-key questions, and their shutdown in
 * one order. The two doors (Electron IPC, the WebSocket) only add their transport.
 */
export async function openEngineHost(dbPath: string, broadcast: Broadcast, opts: Omit<RuntimeOptions, 'askHostKey'> = {}): Promise<EngineHost> {
  const hostKeys = createHostKeyBroker(broadcast);
  const rt = await openRuntime(dbPath, { ...opts, askHostKey: hostKeys.ask });
  const live = new LiveExecutions();
  const background = startBackground(rt, live);
  const dispatch = createDispatcher(createHandlers(rt, live, { hostKeys, sweepRetention: background.sweepRetention }));
  const batcher = createEventBatcher(rt.deps.events, broadcast);
  let closing: Promise<void> | undefined;
  return {
    rt,
    live,
    dispatch,
    hostKeys,
    close(reason) {
      closing ??= (async () => {
        await background.close();
        await live.stopAll(reason);
        batcher.flush();
        batcher.close();
        hostKeys.close();
        rt.close();
      })();
      return closing;
    },
  };
}
