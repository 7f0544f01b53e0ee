// A webhook receiver on 127.0.0.1 for the suites that check deliveries.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { WebhookPayload } from '../../src-shared/domain/webhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: WebhookPayload;
  at: number;
}

/** A webhook receiver on 127.0.0.1: records every POST; `answer` decides each status, by path and attempt. */
export class Receiver {
  readonly got: Received[] = [];
  private server: Server | undefined;
  port = 0;
  answer: (path: string, nth: number) => number = () => 200;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.got.push({ path, headers: req.headers, body, payload: JSON.parse(body) as WebhookPayload, at: Date.now() });
        res.writeHead(this.answer(path, this.got.filter((g) => g.path === path).length));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const a = this.server.address();
    this.port = typeof a === 'object' && a !== null ? a.port : 0;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
