import type { ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fakeRenderer } from '../ipc/harness';
import { collect, waitFor, type CliResult, type Workspace } from './cli';

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  consoleOrigin: string;
  token: string;
  /** The `--listen` listener's origin, when one was asked for. */
  triggersOrigin: string | null;
  stdout(): string;
  stderr(): string;
  stop(): Promise<CliResult>;
}

const CONSOLE_LINE = /^Flowdeck console: (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/m;
const TRIGGERS_LINE = /^Flowdeck triggers: (\S+)\/api\/triggers\/ID$/m;

/** `flowdeck serve` as its own process on the workspace's database, once it has printed its address(es). */
export async function startServe(ws: Workspace, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = ws.spawn(['serve', '--port', '0', '--renderer', fakeRenderer(ws.dir), ...args], env);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += String(d)));
  child.stderr?.on('data', (d: Buffer) => (err += String(d)));
  const ended = collect(child);
  let exited = false;
  void ended.then(() => (exited = true));
  const wantTriggers = args.includes('--listen');
  await waitFor('serve to print its address', () => {
    if (exited) throw new Error(`serve exited early:\n${out}\n${err}`);
    return CONSOLE_LINE.test(out) && (!wantTriggers || TRIGGERS_LINE.test(out));
  }, 30_000, 50);
  const [, consoleOrigin, token] = CONSOLE_LINE.exec(out) as RegExpExecArray;
  return {
    child,
    consoleOrigin: consoleOrigin as string,
    token: token as string,
    triggersOrigin: TRIGGERS_LINE.exec(out)?.[1] ?? null,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (!exited) child.kill('SIGINT');
      return ended;
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The CA to trust for https (a self-signed certificate). */
  ca?: string | Buffer;
}

/** One HTTP(S) request with node's own client; the JSON body parsed when there is one. */
export function httpCall(url: string, opts: RequestOptions = {}): Promise<HttpAnswer> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: opts.method ?? 'POST',
        headers: { ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // not JSON: the text is there
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
