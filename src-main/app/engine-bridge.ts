import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { openRuntime, type EngineRuntime } from '../engine/runtime';
import { createDispatcher, createEventBatcher } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import { createHostKeyBroker } from '../ipc/host-key-broker';
import { LiveExecutions } from '../ipc/live-executions';
import { startBackground } from '../services/background';
import { keyFileCipher } from '../secrets/cipher';
import { electronNativeBindingPath } from '../store/native-binding';
import type { EventName, Events } from '../../src-shared/ipc/contract';
import { safeStorageCipher } from './safe-storage-cipher';

const INVOKE_CHANNEL = 'flowdeck:invoke';
const EVENT_CHANNEL = 'flowdeck:event';

/**
 * Opens the engine in the main process and answers the window through the one dispatcher
 * (the same one the headless console and the tests use). Only our own window may ask.
 */
export async function wireEngine(getWindow: () => BrowserWindow | null): Promise<{ close(): Promise<void> }> {
  const dbPath = process.env.FLOWDECK_DB ?? join(app.getPath('userData'), 'flowdeck.db');
  const send = <E extends EventName>(event: E, payload: Events[E]): void => {
    getWindow()?.webContents.send(EVENT_CHANNEL, { event, payload });
  };
  const hostKeys = createHostKeyBroker(send);
  const rt: EngineRuntime = await openRuntime(dbPath, {
    // Built for the Electron running us (a packaged app has no node_modules/electron to ask),
    // found under the checkout in development and beside app.asar in a packaged app.
    nativeBinding: electronNativeBindingPath(app.isPackaged ? process.resourcesPath : app.getAppPath(), process.versions.electron),
    cipher: safeStorageCipher(keyFileCipher(dbPath)),
    askHostKey: hostKeys.ask,
  });
  const live = new LiveExecutions();
  const background = startBackground(rt, live);
  const dispatch = createDispatcher(createHandlers(rt, live, { hostKeys, sweepRetention: background.sweepRetention }));
  const batcher = createEventBatcher(rt.deps.events, send);
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, request: unknown) => {
    const win = getWindow();
    if (!win || event.sender !== win.webContents) {
      return { ok: false, error: { code: 'invalid-input', message: 'requests are only taken from the Flowdeck window' } };
    }
    return dispatch(channel, request);
  });
  return {
    async close() {
      ipcMain.removeHandler(INVOKE_CHANNEL);
      await background.close();
      await live.stopAll('the app is closing', 5000);
      batcher.close();
      hostKeys.close();
      rt.close();
    },
  };
}
