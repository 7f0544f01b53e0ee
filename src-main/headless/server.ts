import { createReadStream, statSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { FlowdeckError, formatError } from '../../src-shared/errors';
import { IPC_WS_PATH } from '../../src-shared/ipc/electron-channels';
import { contentSecurityPolicy } from '../../src-shared/security/csp';
import { openEngineHost, type Broadcast } from '../host/engine-host';
import { keyFileCipher } from '../secrets/cipher';
import { isDefaultHost, type ListenAddress } from '../triggers/listen-address';
import { startTriggerListener, type TlsFiles, type TriggerListener } from '../triggers/listener';
import { contentTypeOf, realRoot, requireConsoleBuild, resolveStaticFile } from './static-files';
import { newToken, tokenMatches } from './token';
import { attachSession, sendJson } from './ws-session';

export interface HeadlessOptions {
  dbPath: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (`out/renderer`): index.html and assets/. */
  rendererDir: string;
  /** Loopback only, always; the option exists to say so. */
  host?: '127.0.0.1';
  /**
   * A second listener that takes trigger requests only (`/api/triggers/ID`), e.g. from other
   * machines. Anywhere but 127.0.0.1 it needs `tls`, or `insecureHttp` said out loud. The console
   * page and its WebSocket are never served there: they stay on 127.0.0.1.
   */
  listen?: ListenAddress;
  tls?: TlsFiles;
  insecureHttp?: boolean;
}

export interface HeadlessConsole {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: the page, which hands the token to its WebSocket. */
  url: string;
  token: string;
  port: number;
  /** `https://HOST:PORT` of the `listen` listener, when there is one. */
  triggersOrigin: string | null;
  /** Cancels this process's runs, closes every connection and the database. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const IPC_PATH = IPC_WS_PATH;

/** The window's policy plus the console's own WebSocket. */
export const CONSOLE_CSP = contentSecurityPolicy({ websocket: true });

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  // The page's own URL holds the token: never send it anywhere as a referrer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Requests (IPC JSON) may carry a 10 MB inventory; JSON escaping can double it. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** A window this far behind on events is not reading them: it is dropped rather than let memory grow. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

const NO_TOKEN_TEXT =
  'Flowdeck console: this address needs its token. Open the URL `flowdeck serve` printed (it ends with ?token=...).\n';

function checkRendererDir(dir: string): string {
  requireConsoleBuild(dir);
  return realRoot(dir);
}

function text(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    text(res, 404, 'not found\n');
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file), 'Content-Length': String(size), 'Cache-Control': cacheControl });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Answers an upgrade we refuse with a plain HTTP status, then closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, body: string): void {
  socket.on('error', () => undefined);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EADDRINUSE') reject(new FlowdeckError('conflict', `port ${port} on ${HOST} is in use: pick another with --port, or --port 0 for any free one`));
      else if (e.code === 'EACCES') reject(new FlowdeckError('invalid-input', `port ${port} needs privileges this process does not have: use a port above 1023`));
      else reject(e);
    };
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/**
 * The headless console: the renderer build and the IPC dispatcher over a WebSocket, on
 * 127.0.0.1 only, behind a random token. The page (`/`) and the WebSocket (`/ipc`) need the token;
 * static files (`/assets/...`) hold no data and do not. WebSocket upgrades from another origin
 * (a web site, a DNS-rebound name) are refused, and so are requests naming a foreign Host.
 */
export async function startHeadless(opts: HeadlessOptions): Promise<HeadlessConsole> {
  const root = checkRendererDir(opts.rendererDir);
  checkListenOptions(opts);
  const token = newToken();
  const clients = new Set<WebSocket>();

  const broadcast: Broadcast = (event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        process.stderr.write('flowdeck: a console window stopped reading its events; it was disconnected (reload it)\n');
        ws.terminate();
        continue;
      }
      ws.send(message);
    }
  };

  const cipher = keyFileCipher(opts.dbPath, process.env, {
    onKeyFileCreated: (path) =>
      process.stderr.write(`flowdeck: created the secret key file ${path} (mode 0600); keep it with the database: without it the stored credentials cannot be decrypted\n`),
  });
  const host = await openEngineHost(opts.dbPath, broadcast, { cipher });
  const { dispatch, hostKeys } = host;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });

  let port = 0;
  const hostAllowed = (host: string | undefined): boolean => host === `${HOST}:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
  const urlOf = (req: IncomingMessage): URL | undefined => {
    try {
      return new URL(req.url ?? '/', `http://${HOST}:${port}`);
    } catch {
      return undefined;
    }
  };

  const server = createServer((req, res) => {
    const url = urlOf(req);
    if (!url) return text(res, 400, 'bad request\n');
    if (!hostAllowed(req.headers.host)) return text(res, 403, `Flowdeck console: requests must name this server (Host ${HOST}:${port})\n`);
    // Triggers carry their own bearer token: the console's token is not theirs to need.
    if (host.triggers.owns(url.pathname)) return host.triggers.handle(req, res, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    if (url.pathname === IPC_PATH) return text(res, 426, `${IPC_PATH} is the console's WebSocket\n`, { Upgrade: 'websocket' });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokenMatches(token, url.searchParams.get('token'))) return text(res, 401, NO_TOKEN_TEXT);
      return sendFile(req, res, join(root, 'index.html'), 'no-store');
    }
    const file = resolveStaticFile(root, url.pathname);
    if (!file || file === join(root, 'index.html')) return text(res, 404, 'not found\n');
    sendFile(req, res, file, 'no-cache');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = urlOf(req);
    if (!url || url.pathname !== IPC_PATH) return refuseUpgrade(socket, 404, 'not found\n');
    if (!hostAllowed(req.headers.host)) return refuseUpgrade(socket, 403, 'foreign Host\n');
    if (!originAllowed(req.headers.origin)) return refuseUpgrade(socket, 403, 'foreign Origin\n');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuseUpgrade(socket, 401, 'missing or wrong token\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', (e) => process.stderr.write(`flowdeck: console connection: ${formatError(e)}\n`));
      attachSession(ws, dispatch);
      // A window that opens (or reloads) while a host key question waits still gets to answer it.
      for (const q of hostKeys.pending()) sendJson(ws, { event: 'hostKey/question', payload: q });
    });
  });

  let triggerListener: TriggerListener | undefined;
  try {
    port = await listen(server, opts.port ?? 0);
    host.setConsoleOrigin(`http://${HOST}:${port}`);
    if (opts.listen) triggerListener = await startTriggerListener(opts.listen, host.triggers, opts.tls);
  } catch (e) {
    server.close();
    await host.close('the console could not start');
    throw e;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // No new run from outside while this process winds down.
      await triggerListener?.close();
      // Runs end and their last events go out before the windows are told goodbye.
      await host.close('cancelled: the console was stopped');
      for (const ws of clients) ws.close(1001, 'the console is shutting down');
      await new Promise((resolve) => setTimeout(resolve, clients.size > 0 ? 200 : 0));
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closing;
  };

  return { url: `http://${HOST}:${port}/?token=${token}`, token, port, triggersOrigin: triggerListener?.origin ?? null, close };
}

/** The rules of `--listen`: TLS anywhere but the console's own address, unless plain HTTP is asked for by name. */
function checkListenOptions(opts: HeadlessOptions): void {
  if (!opts.listen) {
    if (opts.tls || opts.insecureHttp) throw new FlowdeckError('invalid-input', '--tls-cert, --tls-key and --insecure-http go with --listen ADDR');
    return;
  }
  if (opts.tls && opts.insecureHttp) throw new FlowdeckError('invalid-input', '--insecure-http and --tls-cert/--tls-key exclude each other: choose one');
  if (!opts.tls && !opts.insecureHttp && !isDefaultHost(opts.listen.host)) {
    throw new FlowdeckError(
      'invalid-input',
      `--listen ${opts.listen.host} takes requests from beyond this console's own address: give --tls-cert FILE --tls-key FILE (HTTPS), or --insecure-http to send tokens in the clear`,
    );
  }
}
