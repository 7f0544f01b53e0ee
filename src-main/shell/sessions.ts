import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { Events } from '../../src-shared/ipc/contract';
import { Redactor } from '../secrets/redact';
import { TransportError } from '../transport/types';
import type { ShellExit, ShellProcess, TerminalSize } from './shell-process';

/**
 * The window (or console connection) a session belongs to. Only it is sent the session's
 * output, only its requests reach the session, and the session ends when it goes away.
 */
export interface ShellClient {
  readonly id: string;
  send<E extends 'shell/output' | 'shell/exit'>(event: E, payload: Events[E]): void;
  /** Runs `listener` once when the client is gone; returns a function that forgets it. */
  onGone(listener: () => void): () => void;
}

/** Starts the shell of one element: a remote pty for ssh elements, a local one for local elements. */
export type ShellStarter = (element: ResolvedElement, size: TerminalSize, signal: AbortSignal) => Promise<ShellProcess>;

export interface ShellSessionLimits {
  /** Sessions one client may hold at once. */
  perClient: number;
  /** Output characters sent and not yet acknowledged past which the shell's output is paused. */
  highWater: number;
  /** ...and below which it flows again. */
  lowWater: number;
  /** Output is sent as soon as the event loop is free; a burst is cut into messages of at most this many characters. */
  maxMessageChars: number;
  /**
   * Output that could be the start of a stored secret is held back to see whether the secret
   * follows; with nothing more after this long, it is shown (a keystroke's echo must not wait for
   * the next keystroke).
   */
  secretHoldMs: number;
}

export const DEFAULT_SHELL_LIMITS: ShellSessionLimits = {
  perClient: 32,
  highWater: 256 * 1024,
  lowWater: 64 * 1024,
  maxMessageChars: 64 * 1024,
  secretHoldMs: 150,
};

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

interface Session {
  id: string;
  element: string;
  client: ShellClient;
  proc: ShellProcess;
  forgetClient: () => void;
  unacked: number;
  paused: boolean;
  pending: string;
  flushScheduled: NodeJS.Immediate | undefined;
  decoder: StringDecoder;
  redactor: Redactor;
  holdTimer: NodeJS.Timeout | undefined;
  ended: boolean;
}

/**
 * The operator's terminals on elements. Output is not batched on a timer as run events are: it
 * is sent the moment the event loop is free (a keystroke's echo comes straight back), several
 * chunks of one tick joined into one message. Backpressure is end to end: the client
 * acknowledges what its terminal has drawn, and while more than `highWater` characters are
 * unacknowledged the shell's output stops being read (the remote side then blocks on a full SSH
 * window, the local shell on a full pty), so a `cat` of a huge file neither floods the window
 * nor grows memory here.
 */
export class ShellSessions {
  private readonly sessions = new Map<string, Session>();
  /** Connections still being made, by client, so a client that goes away cancels them. */
  private readonly opening = new Map<string, Set<AbortController>>();
  private closed = false;

  /**
   * `secrets`: every stored secret, as the logs redact them. A terminal is the renderer too: a
   * secret a host prints reaches the window as `***`, as in a step's log.
   */
  constructor(
    private readonly start: ShellStarter,
    private readonly secrets: () => string[] = () => [],
    private readonly limits: ShellSessionLimits = DEFAULT_SHELL_LIMITS,
  ) {}

  async open(client: ShellClient, element: ResolvedElement, size: TerminalSize): Promise<string> {
    if (this.closed) throw new FlowdeckError('conflict', 'the console is shutting down: no new shell');
    const held = [...this.sessions.values()].filter((s) => s.client.id === client.id).length + (this.opening.get(client.id)?.size ?? 0);
    if (held >= this.limits.perClient) {
      throw new FlowdeckError('conflict', `this window already has ${held} shells open (at most ${this.limits.perClient}): close one first`);
    }
    const abort = new AbortController();
    let pendingForClient = this.opening.get(client.id);
    if (!pendingForClient) this.opening.set(client.id, (pendingForClient = new Set()));
    pendingForClient.add(abort);
    const forgetOpening = client.onGone(() => abort.abort());
    let proc: ShellProcess;
    try {
      proc = await this.start(element, size, abort.signal);
    } catch (e) {
      if (e instanceof TransportError) throw new FlowdeckError('transport', e.message);
      throw e;
    } finally {
      forgetOpening();
      pendingForClient.delete(abort);
      if (pendingForClient.size === 0) this.opening.delete(client.id);
    }
    if (abort.signal.aborted || this.closed) {
      proc.close();
      throw new FlowdeckError('conflict', `${element.id}: the window that asked for this shell is gone`);
    }
    const session: Session = {
      id: randomUUID(),
      element: element.id,
      client,
      proc,
      forgetClient: () => undefined,
      unacked: 0,
      paused: false,
      pending: '',
      flushScheduled: undefined,
      decoder: new StringDecoder('utf8'),
      redactor: new Redactor(this.secrets()),
      holdTimer: undefined,
      ended: false,
    };
    this.sessions.set(session.id, session);
    session.forgetClient = client.onGone(() => proc.close());
    proc.onData((d) => this.output(session, typeof d === 'string' ? d : session.decoder.write(d)));
    proc.onExit((exit) => this.ended(session, exit));
    return session.id;
  }

  input(client: ShellClient, sessionId: string, data: string): void {
    this.own(client, sessionId).proc.write(data);
  }

  resize(client: ShellClient, sessionId: string, size: TerminalSize): void {
    this.own(client, sessionId).proc.resize(size);
  }

  /** The client's terminal has drawn `chars` more characters of output. */
  ack(client: ShellClient, sessionId: string, chars: number): void {
    const s = this.own(client, sessionId);
    s.unacked = Math.max(0, s.unacked - chars);
    if (s.paused && s.unacked <= this.limits.lowWater) {
      s.paused = false;
      s.proc.resume();
    }
  }

  /** Ends the session; `shell/exit` follows once the shell is gone. False when the client holds no such session. */
  close(client: ShellClient, sessionId: string): boolean {
    const s = this.sessions.get(sessionId);
    if (!s || s.client.id !== client.id) return false;
    s.proc.close();
    return true;
  }

  /** Ends every session and refuses new ones (the console is shutting down). */
  closeAll(): void {
    this.closed = true;
    for (const set of this.opening.values()) for (const a of set) a.abort();
    for (const s of this.sessions.values()) s.proc.close();
  }

  /** Another client's session is answered exactly like one that does not exist: its id tells nothing. */
  private own(client: ShellClient, sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s || s.client.id !== client.id || s.ended) throw new FlowdeckError('not-found', `no open shell session "${sessionId}" in this window`);
    return s;
  }

  private output(s: Session, raw: string): void {
    if (raw) this.show(s, s.redactor.active ? this.redacted(s, raw) : raw);
  }

  /** Queues text that is safe to show: sent once the event loop is free, or at once past a message's size. */
  private show(s: Session, text: string): void {
    if (!text) return;
    s.pending += text;
    if (s.pending.length >= this.limits.maxMessageChars) this.flush(s);
    else s.flushScheduled ??= setImmediate(() => this.flush(s));
  }

  /** The redacted text safe to show now; a possible start of a secret waits for what follows, briefly. */
  private redacted(s: Session, raw: string): string {
    if (s.holdTimer) clearTimeout(s.holdTimer);
    const text = s.redactor.redactChunk(raw);
    s.holdTimer = setTimeout(() => {
      s.holdTimer = undefined;
      if (!s.ended) this.show(s, s.redactor.flush());
    }, this.limits.secretHoldMs);
    s.holdTimer.unref();
    return text;
  }

  private flush(s: Session): void {
    if (s.flushScheduled) clearImmediate(s.flushScheduled);
    s.flushScheduled = undefined;
    while (s.pending.length > 0) {
      let cut = Math.min(s.pending.length, this.limits.maxMessageChars);
      // Never between the two halves of a surrogate pair: each message is valid text on its own.
      if (cut < s.pending.length && isHighSurrogate(s.pending.charCodeAt(cut - 1))) cut -= 1;
      const data = s.pending.slice(0, cut);
      s.pending = s.pending.slice(data.length);
      s.unacked += data.length;
      s.client.send('shell/output', { sessionId: s.id, data });
    }
    if (!s.paused && !s.ended && s.unacked > this.limits.highWater) {
      s.paused = true;
      s.proc.pause();
    }
  }

  private ended(s: Session, exit: ShellExit): void {
    if (s.ended) return;
    s.ended = true;
    if (s.holdTimer) clearTimeout(s.holdTimer);
    const rest = s.decoder.end();
    s.pending += s.redactor.active ? s.redactor.redactChunk(rest) + s.redactor.flush() : rest;
    this.flush(s);
    this.sessions.delete(s.id);
    s.forgetClient();
    s.client.send('shell/exit', { sessionId: s.id, code: exit.code, signal: exit.signal, ...(exit.message ? { message: exit.message } : {}) });
  }
}
