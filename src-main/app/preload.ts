// Sandboxed preload: bundled into one CommonJS file, it may only require `electron`.
// It exposes exactly one object, `window.flowdeck`, with two functions and nothing else:
// no ipcRenderer, no Node API, no IpcRendererEvent ever reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src-shared/ipc/electron-channels';

interface EventMessage {
  event: string;
  payload: unknown;
}

function isEventMessage(value: unknown): value is EventMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { event?: unknown }).event === 'string'
  );
}

const flowdeck = {
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (typeof channel !== 'string') {
      return Promise.reject(new TypeError('flowdeck.invoke: channel must be a string'));
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, request) as Promise<unknown>;
  },

  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      throw new TypeError('flowdeck.on: expected an event name and a listener function');
    }
    const handler = (_ipcEvent: IpcRendererEvent, message: unknown): void => {
      if (isEventMessage(message) && message.event === event) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('flowdeck', flowdeck);
