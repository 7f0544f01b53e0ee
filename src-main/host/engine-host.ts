import type { EventName, Events } from '../../src-shared/ipc/contract';
import { LiveExecutions } from '../engine/live-executions';
import { openRuntime, type EngineRuntime, type RuntimeOptions } from '../engine/runtime';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createEventBatcher } from '../ipc/event-batcher';
import { createHandlers } from '../ipc/handlers';
import { createHostKeyBroker, type HostKeyBroker } from '../ipc/host-key-broker';
import { startBackground } from '../services/background';
import { createShellSessions } from '../shell/start';
import { createTriggerRoute, type TriggerRoute } from '../triggers/http-route';
import { startWebhookNotifier } from '../webhooks/notifier';

/** How long closing waits for webhook deliveries still under way (retries included). */
const WEBHOOK_DRAIN_MS = 10_000;

/** Sends one event to every window (the desktop window, the console's WebSocket clients). */
export type Broadcast = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface EngineHost {
  rt: EngineRuntime;
  live: LiveExecutions;
  /** Every request channel, validated, answering `{ ok, value } | { ok: false, error }`. */
  dispatch: Dispatch;
  hostKeys: HostKeyBroker;
  /** `POST /api/triggers/ID`, for every listener of this process (the console's, `--listen`, the app's). */
  triggers: TriggerRoute;
  /** Where the console shows an execution (without its token), for webhook summaries; unset: no link. */
  setConsoleOrigin(origin: string | null): void;
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
  // The windows' terminals ask an unknown host key through the same dialog as the runs.
  const shells = createShellSessions(rt, { askHostKey: hostKeys.ask });
  const dispatch = createDispatcher(createHandlers(rt, live, { hostKeys, sweepRetention: background.sweepRetention, shells }));
  const batcher = createEventBatcher(rt.deps.events, broadcast);
  const triggers = createTriggerRoute({ db: rt.db, launch: (req) => live.launch(rt.deps, req) });
  let consoleOrigin: string | null = null;
  const webhooks = startWebhookNotifier({
    db: rt.db,
    events: rt.deps.events,
    owner: rt.deps.owner,
    cipher: rt.cipher,
    consoleUrl: (id) => (consoleOrigin === null ? null : `${consoleOrigin}/#/executions/${id}`),
  });
  let closing: Promise<void> | undefined;
  return {
    rt,
    live,
    dispatch,
    hostKeys,
    triggers,
    setConsoleOrigin(origin) {
      consoleOrigin = origin;
    },
    close(reason) {
      closing ??= (async () => {
        shells.closeAll();
        await background.close();
        await live.stopAll(reason);
        // The runs just stopped are announced too; a receiver that keeps failing does not hold the exit up for long.
        await webhooks.drain(WEBHOOK_DRAIN_MS);
        webhooks.close();
        batcher.flush();
        batcher.close();
        hostKeys.close();
        rt.close();
      })();
      return closing;
    },
  };
}
