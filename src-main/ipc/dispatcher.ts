import type { z } from 'zod';
import { serializeError, FlowdeckError } from '../../src-shared/errors';
import { requestSchemas, type Channel, type Handlers, type Result } from '../../src-shared/ipc/contract';
import { describeZodIssue, formatYamlPath } from '../inventory';
import type { Caller } from './caller';

export { createEventBatcher } from './event-batcher';

/**
 * What every adapter (Electron IPC, the console's WebSocket, tests) calls: validates, runs, answers;
 * never throws. `caller` is the window the request came from, for what a window owns (its shells).
 */
export type Dispatch = (channel: unknown, request: unknown, caller?: Caller) => Promise<Result<unknown>>;

function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.hasOwn(requestSchemas, channel);
}

/** A channel name fit to quote in a message, whatever the caller sent. */
function quoted(channel: unknown): string {
  const text = typeof channel === 'string' ? channel : `(${typeof channel})`;
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text);
}

/** `<channel>: <path>: <issue>`, the first issue; the path is `request` when the whole request is wrong. */
function invalidRequest(channel: Channel, issues: readonly z.core.$ZodIssue[]): Result<never> {
  const first = issues[0];
  const where = first && first.path.length > 0 ? formatYamlPath(first.path) : 'request';
  const what = first ? describeZodIssue(first) : 'is not valid';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return { ok: false, error: { code: 'invalid-input', message: `${channel}: ${where}: ${what}${more}` } };
}

/**
 * The one dispatcher: an unknown channel or a request its schema refuses is
 * an `invalid-input` error; a FlowdeckError from a handler goes back as it is; anything else is a
 * bug, answered as `internal` with its message only; the stack goes to stderr, never to the client.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (channel, request, caller) => {
    try {
      if (!isChannel(channel)) return { ok: false, error: { code: 'invalid-input', message: `unknown channel ${quoted(channel)}` } };
      const parsed = requestSchemas[channel].safeParse(request);
      if (!parsed.success) return invalidRequest(channel, parsed.error.issues);
      // The schema and the handler belong to the same channel; TypeScript cannot follow that through the union.
      const handler = handlers[channel] as (req: unknown, caller: Caller | undefined) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data, caller) };
    } catch (e) {
      return failure(channel, e);
    }
  };
}

function failure(channel: unknown, e: unknown): Result<never> {
  try {
    if (!(e instanceof FlowdeckError)) {
      const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stderr.write(`flowdeck: internal error on ${quoted(channel)}: ${detail}\n`);
    }
    return { ok: false, error: serializeError(e) };
  } catch {
    // A thrown value that cannot even be turned into text.
    return { ok: false, error: { code: 'internal', message: 'internal error' } };
  }
}
