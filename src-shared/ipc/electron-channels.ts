/** The two Electron IPC channels the preload and the main process speak over: one name each, in one place. */
export const INVOKE_CHANNEL = 'flowdeck:invoke';
export const EVENT_CHANNEL = 'flowdeck:event';

/** Where the headless console's WebSocket listens. */
export const IPC_WS_PATH = '/ipc';
