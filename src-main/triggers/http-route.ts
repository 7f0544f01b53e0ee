import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FlowdeckError, formatError } from '../../src-shared/errors';
import { jsonValueSchema, type JsonValue } from '../../src-shared/domain/inventory';
import type { RunRequest } from '../engine/executor';
import type { Db } from '../store/db';
import { getFlow } from '../store/flow-queries';
import { markTriggerUsed, triggerForAuth } from '../store/trigger-queries';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { tokenMatchesHash } from './token';

/** Bodies carry a few params and labels; anything near this is a mistake or an attack. */
const MAX_TRIGGER_BODY_BYTES = 64 * 1024;
/** What is read (and dropped) of a refused oversized body before the connection is cut. */
const MAX_DRAIN_BYTES = 1024 * 1024;

const PREFIX = '/api/triggers/';
const ID = /^[0-9a-f]{16}$/;

const bodySchema = z
  .object({
    params: z.record(z.string().min(1).max(100), jsonValueSchema).optional(),
    labels: z
      .record(z.string().min(1).max(100), z.union([z.string().max(500), z.array(z.string().max(500)).max(50)]))
      .refine((l) => Object.keys(l).length <= 50, 'at most 50 labels')
      .optional(),
  })
  .strict();

export interface TriggerRouteDeps {
  db: Db;
  /** Plans, starts and registers the run in this process (LiveExecutions.launch). */
  launch(req: RunRequest): Promise<{ id: number }>;
  limiter?: FailedAuthLimiter;
}

export interface TriggerRoute {
  /** Whether a path is the trigger API's (everything under `/api/`): it answers them all, 404 included. */
  owns(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): void;
}

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

function reply(res: ServerResponse, status: number, body: Record<string, unknown>, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { ...HEADERS, 'Content-Length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}

/** The token of `Authorization: Bearer TOKEN`, or undefined. */
function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Reads the body up to the limit; `undefined` when it was too big (413 already answered). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const tooBig = (): void => {
    reply(res, 413, { error: `the body is larger than ${MAX_TRIGGER_BODY_BYTES} bytes` }, { Connection: 'close' });
    // Reads on a little so the client sees the answer rather than a reset, then cuts it off.
    let drained = 0;
    req.removeAllListeners('data');
    req.on('data', (c: Buffer) => {
      drained += c.length;
      if (drained > MAX_DRAIN_BYTES) req.destroy();
    });
    req.resume();
  };
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_TRIGGER_BODY_BYTES) {
    tooBig();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_TRIGGER_BODY_BYTES) {
        tooBig();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_TRIGGER_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What a refused request says, by the engine's error code. */
function startFailure(e: unknown): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } {
  if (!(e instanceof FlowdeckError)) return { status: 500, body: { error: 'internal error: the run could not start (see the server log)' } };
  if (e.code === 'invalid-input') return { status: 400, body: { error: e.message } };
  // The queue is full: worth trying again later.
  if (e.code === 'conflict') return { status: 503, body: { error: e.message }, headers: { 'Retry-After': '30' } };
  return { status: 422, body: { error: `the flow could not start: ${formatError(e)}` } };
}

/**
 * `POST /api/triggers/ID` with `Authorization: Bearer TOKEN` and `{ params, labels }`: starts the
 * trigger's flow with trigger `http`. The trigger's own params are fixed values; a caller may set
 * a param only when the trigger allows it (and the flow declares it). Wrong tokens are limited
 * per trigger. One handler for every listener (the console's, `serve --listen`, the app's).
 */
export function createTriggerRoute(deps: TriggerRouteDeps): TriggerRoute {
  const limiter = deps.limiter ?? new FailedAuthLimiter();

  async function post(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const found = triggerForAuth(deps.db, id);
    if (!found) return reply(res, 404, { error: `unknown trigger ${id}` });
    const wait = limiter.blockedFor(id);
    if (wait > 0) return reply(res, 429, { error: 'too many wrong tokens for this trigger; try again in a second' }, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    if (!tokenMatchesHash(found.tokenSha256, bearer(req))) {
      limiter.fail(id);
      return reply(res, 401, { error: 'missing or wrong token (send Authorization: Bearer TOKEN)' }, { 'WWW-Authenticate': 'Bearer' });
    }
    const raw = await readBody(req, res);
    if (raw === undefined) return;
    let json: unknown = {};
    if (raw.length > 0) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        return reply(res, 400, { error: `the body is not JSON: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    const parsed = bodySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') ?? '';
      return reply(res, 400, { error: `body${where ? `.${where}` : ''}: ${issue?.message ?? 'invalid'} (expected { "params": {...}, "labels": {...} })` });
    }
    const { trigger } = found;
    const flow = getFlow(deps.db, trigger.flow);
    if (!flow) return reply(res, 409, { error: `the trigger's flow "${trigger.flow}" no longer exists` });
    const declared = flow.document.params.map((p) => p.name);
    const given = parsed.data.params ?? {};
    for (const name of Object.keys(given)) {
      if (!declared.includes(name)) {
        return reply(res, 400, { error: `flow "${trigger.flow}" has no parameter "${name}" (declared: ${declared.join(', ') || 'none'})` });
      }
      if (!trigger.allowParams.includes(name)) {
        return reply(res, 400, {
          error: `trigger ${id} does not let callers set parameter "${name}" (allowed: ${trigger.allowParams.join(', ') || 'none'})`,
        });
      }
    }
    const params: Record<string, JsonValue> = { ...trigger.params, ...given };
    let started: { id: number };
    try {
      started = await deps.launch({
        flow: trigger.flow,
        params,
        trigger: 'http',
        triggerId: id,
        ...(parsed.data.labels ? { labels: parsed.data.labels } : {}),
      });
    } catch (e) {
      const f = startFailure(e);
      if (f.status === 500) process.stderr.write(`flowdeck: trigger ${id}: ${formatError(e)}\n`);
      return reply(res, f.status, f.body, f.headers);
    }
    markTriggerUsed(deps.db, id, started.id);
    reply(res, 202, { executionId: started.id });
  }

  return {
    owns: (pathname) => pathname === '/api' || pathname.startsWith('/api/'),
    handle(req, res, pathname) {
      const id = pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : '';
      if (!ID.test(id)) return reply(res, 404, { error: 'not found: triggers are at /api/triggers/ID' });
      if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' }, { Allow: 'POST' });
      post(req, res, id).catch((e: unknown) => {
        process.stderr.write(`flowdeck: trigger ${id}: ${formatError(e)}\n`);
        reply(res, 500, { error: 'internal error' });
      });
    },
  };
}
