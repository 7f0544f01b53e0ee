import type { RawData, WebSocket } from 'ws';
import { formatError } from '../../src-shared/errors';
import type { Result } from '../../src-shared/ipc/contract';
import { createCaller } from '../ipc/caller';
import type { Dispatch } from '../ipc/dispatcher';

/** client -> server */
interface ClientMessage {
  id: number;
  channel: string;
  request: unknown;
}

/** server -> client: the answer to request `id` (null when the message could not be read at all). */
export interface ServerReply {
  id: number | null;
  result: Result<unknown>;
}

/** server -> client: a pushed event. */
export interface ServerEvent {
  event: string;
  payload: unknown;
}

type Parsed = { ok: true; message: ClientMessage } | { ok: false; id: number | null; error: string };

const SHAPE = 'a message is {"id": <number>, "channel": <string>, "request": <object>}';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one client message; a bad one says what is wrong and, when it carried a usable id, which request it was. */
function parseClientMessage(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return { ok: false, id: null, error: `binary messages are not accepted; ${SHAPE}` };
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const text = buf.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, id: null, error: `the message is not JSON (${formatError(e)}); ${SHAPE}` };
  }
  if (!isRecord(value)) return { ok: false, id: null, error: `the message is not a JSON object; ${SHAPE}` };
  const id = typeof value.id === 'number' && Number.isSafeInteger(value.id) ? value.id : null;
  if (id === null) return { ok: false, id: null, error: `"id" must be a whole number; ${SHAPE}` };
  if (typeof value.channel !== 'string') return { ok: false, id, error: `"channel" must be a string; ${SHAPE}` };
  return { ok: true, message: { id, channel: value.channel, request: value.request } };
}

/** Sends JSON if the socket is still open; false when it is not (or the value cannot be sent). */
export function sendJson(ws: WebSocket, value: ServerReply | ServerEvent): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  ws.send(JSON.stringify(value));
  return true;
}

/**
 * One console window: every message is a request for the dispatcher, answered with the same id.
 * Requests run concurrently; a bad message gets a typed error and the connection stays open.
 * The connection is the window: what it opens (a shell) is its own and ends when it closes.
 */
export function attachSession(ws: WebSocket, dispatch: Dispatch): void {
  const { caller, gone } = createCaller((event, payload) => void sendJson(ws, { event, payload }));
  ws.on('close', gone);
  ws.on('message', (data, isBinary) => {
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) {
      sendJson(ws, { id: parsed.id, result: { ok: false, error: { code: 'invalid-input', message: parsed.error } } });
      return;
    }
    const { id, channel, request } = parsed.message;
    void dispatch(channel, request, caller).then((result) => {
      try {
        sendJson(ws, { id, result });
      } catch (e) {
        process.stderr.write(`flowdeck: cannot send the answer to ${channel}: ${formatError(e)}\n`);
        sendJson(ws, { id, result: { ok: false, error: { code: 'internal', message: `the answer to ${channel} could not be sent` } } });
      }
    });
  });
}
