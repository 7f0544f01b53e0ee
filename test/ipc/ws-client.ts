import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { Result } from '../../src-shared/ipc/contract';

export interface Reply {
  id: number | null;
  result: Result<unknown>;
}

export interface PushedEvent {
  event: string;
  payload: unknown;
}

/** A console window's side of the WebSocket, for tests: requests by id, every event kept. */
export class TestClient {
  readonly events: PushedEvent[] = [];
  readonly replies: Reply[] = [];
  /** Every text frame as received, for "does this string ever appear" checks. */
  readonly raw: string[] = [];
  private nextId = 1;
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.raw.push(text);
      const msg = JSON.parse(text) as Reply | PushedEvent;
      if ('event' in msg) this.events.push(msg);
      else this.replies.push(msg);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string, opts: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
    });
  }

  /** The HTTP status the server refused an upgrade with (rejects if it accepted). */
  static refusal(url: string, opts: WebSocket.ClientOptions = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('the upgrade was accepted'));
      });
      ws.once('error', (e) => reject(e));
    });
  }

  /** Waits until `pick` finds something in what arrived so far. */
  async until<T>(pick: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  sendRaw(text: string | Buffer, binary = false): void {
    this.ws.send(text, { binary });
  }

  async call(channel: string, request: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, channel, request }));
    const reply = await this.until(() => this.replies.find((r) => r.id === id));
    return reply.result;
  }

  async value<T>(channel: string, request: unknown): Promise<T> {
    const r = await this.call(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path goes out exactly as given (no normalisation), Host may be forged. */
export function httpGet(port: number, path: string, opts: { host?: string; method?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.host ? { host: opts.host } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
