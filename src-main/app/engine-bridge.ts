import { app, ipcMain, type BrowserWindow, type WebContents } from 'electron';
import { join } from 'node:path';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src-shared/ipc/electron-channels';
import { openEngineHost, type Broadcast } from '../host/engine-host';
import { createCaller, type Caller, type CallerHandle } from '../ipc/caller';
import { keyFileCipher } from '../secrets/cipher';
import { electronNativeBindingPath } from '../store/native-binding';
import { safeStorageCipher } from './safe-storage-cipher';

/**
 * Opens the engine host in the main process and answers the window through its dispatcher
 * (the same one the headless console and the tests use). Only our own window may ask.
 */
export async function wireEngine(getWindow: () => BrowserWindow | null): Promise<{ close(): Promise<void> }> {
  const dbPath = process.env.FLOWDECK_DB ?? join(app.getPath('userData'), 'flowdeck.db');
  const send: Broadcast = (event, payload) => {
    getWindow()?.webContents.send(EVENT_CHANNEL, { event, payload });
  };
  const host = await openEngineHost(dbPath, send, {
    // Built for the Electron running us (a packaged app has no node_modules/electron to ask),
    // found under the checkout in development and beside app.asar in a packaged app.
    nativeBinding: electronNativeBindingPath(app.isPackaged ? process.resourcesPath : app.getAppPath(), process.versions.electron),
    cipher: safeStorageCipher(keyFileCipher(dbPath)),
  });
  const pages = pageCallers();
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, request: unknown) => {
    const win = getWindow();
    if (!win || event.sender !== win.webContents) {
      return { ok: false, error: { code: 'invalid-input', message: 'requests are only taken from the Flowdeck window' } };
    }
    return host.dispatch(channel, request, pages.callerOf(win.webContents));
  });
  return {
    async close() {
      ipcMain.removeHandler(INVOKE_CHANNEL);
      pages.endAll();
      await host.close('the app is closing');
    },
  };
}

/**
 * One caller per page shown in a window: what a page opens (a shell) is its own, and it ends
 * when the page does (a reload starts a new page with nothing open; a closed window takes its
 * page along).
 */
function pageCallers(): { callerOf(wc: WebContents): Caller; endAll(): void } {
  const current = new Map<WebContents, CallerHandle>();
  const end = (wc: WebContents): void => {
    const handle = current.get(wc);
    current.delete(wc);
    handle?.gone();
  };
  return {
    callerOf(wc) {
      let handle = current.get(wc);
      if (!handle) {
        handle = createCaller((event, payload) => {
          if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, { event, payload });
        });
        current.set(wc, handle);
        const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
          if (!details.isMainFrame || details.isSameDocument) return;
          wc.off('did-start-navigation', onNavigation);
          end(wc);
        };
        wc.on('did-start-navigation', onNavigation);
        wc.once('destroyed', () => end(wc));
      }
      return handle.caller;
    },
    endAll() {
      for (const wc of [...current.keys()]) end(wc);
    },
  };
}
