// The thin Electron entry: the only module under src-main that imports `electron`.
// Everything it does is about the window and its safety; the engine runs under plain Node.
import { app, BrowserWindow, dialog, session, type Session, type WebContents } from 'electron';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ID, WINDOW_ICON } from './app-identity';
import { wireEngine } from './engine-bridge';
import { contentSecurityPolicy } from '../../src-shared/security/csp';

/** The console's one policy (the renderer's meta tag is written from it at build time). */
const CONTENT_SECURITY_POLICY = contentSecurityPolicy({ websocket: false });

/** Schemes the browser needs for itself; none of them reaches the network. */
const INTERNAL_SCHEMES = new Set(['devtools:', 'data:', 'blob:']);

// electron-vite lays the build out as out/{main,preload,renderer}; this file is out/main/index.js.
const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const RENDERER_INDEX = join(RENDERER_DIR, 'index.html');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `electron-vite dev` serves the renderer on loopback and passes its URL; a packaged app never
 * uses one, and anything but a loopback http(s) URL is ignored (no remote content).
 */
const devServerUrl = loopbackHttpUrl(
  app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
);

let mainWindow: BrowserWindow | null = null;
let engine: { close(): Promise<void> } | null = null;

function parseUrl(text: string | undefined): URL | null {
  if (text === undefined || text === '') return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function loopbackHttpUrl(text: string | undefined): URL | null {
  const url = parseUrl(text);
  if (url === null || !['http:', 'https:'].includes(url.protocol)) return null;
  return LOOPBACK_HOSTS.has(url.hostname) ? url : null;
}

/** The local path of a file: URL, or null (e.g. a file://host/ URL, which has none). */
function localPath(url: URL): string | null {
  if (url.protocol !== 'file:') return null;
  try {
    return fileURLToPath(url);
  } catch {
    return null;
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** True for the app's own resources: the built renderer files, or the dev server in dev. */
function isAppUrl(text: string): boolean {
  const url = parseUrl(text);
  if (url === null) return false;
  if (devServerUrl !== null) {
    const socketProtocol = devServerUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    return (
      url.host === devServerUrl.host &&
      (url.protocol === devServerUrl.protocol || url.protocol === socketProtocol)
    );
  }
  const path = localPath(url);
  return path !== null && isInside(RENDERER_DIR, path);
}

/** True only for the renderer's entry page itself (any #fragment allowed). */
function isEntryPage(text: string): boolean {
  const url = parseUrl(text);
  if (url === null) return false;
  url.hash = '';
  if (devServerUrl !== null) {
    const entry = new URL(devServerUrl.href);
    entry.hash = '';
    return url.href === entry.href;
  }
  return url.search === '' && localPath(url) === RENDERER_INDEX;
}

function hardenSession(ses: Session): void {
  // No remote content: only the app's own files (or the dev server) may be fetched.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const scheme = parseUrl(details.url)?.protocol ?? '';
    callback({ cancel: !(INTERNAL_SCHEMES.has(scheme) || isAppUrl(details.url)) });
  });

  // The CSP as a header too, for the app's own pages (file:// responses carry no headers,
  // which is why index.html also has the meta tag).
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders });
  });

  // The renderer needs no camera, clipboard reads, devices...: refuse them all. Notifications
  // alone are allowed, for the app's own page: a run that ended or waits for approval.
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(permission === 'notifications' && isAppUrl(contents.getURL())));
  // The page's own URL, not the requesting origin: a file:// page's origin is just "file://".
  ses.setPermissionCheckHandler((contents, permission) => permission === 'notifications' && contents !== null && isAppUrl(contents.getURL()));
  ses.setDevicePermissionHandler(() => false);
}

function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isEntryPage(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function createWindow(): Promise<void> {
  const window = new BrowserWindow({
    title: 'Flowdeck',
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    // Linux and Windows draw it in the title bar and task switcher (macOS uses the bundle's).
    icon: join(app.getAppPath(), WINDOW_ICON),
    show: false,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });

  if (devServerUrl !== null) {
    await window.loadURL(devServerUrl.href);
  } else {
    await window.loadFile(RENDERER_INDEX);
  }
}

function showError(context: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Flowdeck: ${context}: ${message}`);
  // The operator sees why, not just a window that never opens.
  if (app.isReady()) dialog.showErrorBox('Flowdeck', `${context}: ${message}`);
}

if (!app.requestSingleInstanceLock()) {
  // Another Flowdeck is running; it gets the focus (see 'second-instance') and we leave.
  app.quit();
} else {
  // Every renderer is sandboxed, whatever its webPreferences say.
  app.enableSandbox();

  // Windows shows a run's desktop notification with the app's name and icon only for the id
  // the installer's Start menu shortcut carries (on Linux the desktop entry's icon is used, on
  // macOS the bundle's).
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('will-quit', (event) => {
    if (engine === null) return;
    // Running commands are cancelled and recorded before the process goes away.
    event.preventDefault();
    const closing = engine;
    engine = null;
    closing
      .close()
      .catch((error: unknown) => console.error('Flowdeck: closing the engine:', error))
      .finally(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      createWindow().catch((error: unknown) => showError('could not open the window', error));
    }
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession);
      engine = await wireEngine(() => mainWindow);
      await createWindow();
    })
    .catch((error: unknown) => {
      showError('could not start', error);
      app.exit(1);
    });
}
