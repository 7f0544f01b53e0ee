import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { FlowdeckError } from '../../src-shared/errors';
import type { TriggerRoute } from './http-route';
import { formatAddress, type ListenAddress } from './listen-address';

export interface TlsFiles {
  cert: string;
  key: string;
}

export interface TriggerListener {
  /** `https://HOST:PORT` (or http): where `/api/triggers/ID` is. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FlowdeckError('invalid-input', `cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * A listener that takes trigger requests only (`/api/...`): no console page, no WebSocket, so
 * opening one to other machines exposes nothing but the triggers and their own tokens. HTTPS
 * with `tls`, plain HTTP without.
 */
export async function startTriggerListener(at: ListenAddress, route: TriggerRoute, tls?: TlsFiles): Promise<TriggerListener> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://listener').pathname;
    } catch {
      // answered below as not found
    }
    if (route.owns(pathname)) return route.handle(req, res, pathname);
    const body = JSON.stringify({ error: 'not found: this address takes triggers only (POST /api/triggers/ID)' }) + '\n';
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(body);
  };
  let server: Server;
  if (tls) {
    const options = { cert: readPem(tls.cert, 'TLS certificate'), key: readPem(tls.key, 'TLS key') };
    try {
      server = createHttpsServer(options, onRequest);
    } catch (e) {
      throw new FlowdeckError('invalid-input', `the TLS certificate or key cannot be used: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else server = createHttpServer(onRequest);
  // A slow client cannot hold a connection open for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const where = formatAddress(at.host, at.port);
  const port = await new Promise<number>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EADDRINUSE') reject(new FlowdeckError('conflict', `${where} is in use: pick another port`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new FlowdeckError('invalid-input', `${at.host} is not an address of this machine`));
      else if (e.code === 'EACCES') reject(new FlowdeckError('invalid-input', `${where} needs privileges this process does not have: use a port above 1023`));
      else reject(e);
    };
    server.once('error', onError);
    server.listen(at.port, at.host, () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : at.port);
    });
  });
  return {
    origin: `${tls ? 'https' : 'http'}://${formatAddress(at.host, port)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
