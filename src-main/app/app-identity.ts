// What the installers say about the app and what the running app must say back: the packaging
// configuration (electron-builder.config.ts) and the Electron entry both read these, so the two
// can never disagree. Plain values only: the packaging step imports this file outside Electron.

/**
 * The application id: the macOS bundle identifier and, on Windows, the AppUserModelID the
 * installer gives the Start menu shortcut. Windows shows a desktop notification with the app's
 * name and icon (and lets the user silence it) only when the running app declares the same id.
 */
export const APP_ID = 'dev.flowdeck.app';

export const PRODUCT_NAME = 'Flowdeck';

/**
 * The window icon (Linux and Windows; macOS takes the bundle's icon), relative to the app's
 * root: the repository in development, app.asar in a packaged app, which ships this file.
 */
export const WINDOW_ICON = 'resources/icons/256x256.png';
