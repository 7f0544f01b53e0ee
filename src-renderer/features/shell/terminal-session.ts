import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { Events } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { claimSession, listenForShells, releaseSession } from './shell-events';

/**
 * Characters drawn before the terminal acknowledges them. Main stops reading a shell past 256 K
 * unacknowledged characters, so acknowledging every 32 K keeps a fast `cat` flowing while the
 * terminal, not main's memory, sets the pace.
 */
const ACK_CHARS = 32 * 1024;
/** A paste is sent in pieces of this many characters (a request carries at most 1 MB). */
const INPUT_CHUNK = 64 * 1024;

export type TabState = 'connecting' | 'open' | 'ended' | 'failed';

/** What the tab strip shows of a terminal. */
export interface TabStatus {
  state: TabState;
  /** Why it ended or failed, in words. */
  message?: string;
}

/** `exit 0`, `killed by TERM`, or why the connection went. */
function describeExit(exit: Pick<Events['shell/exit'], 'code' | 'signal' | 'message'>): string {
  if (exit.code !== null) return `exit ${exit.code}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return exit.message ?? 'ended';
}

/**
 * One tab's terminal and its shell session. It lives outside React: the xterm instance, its
 * scrollback and the session survive the tab being hidden, the dock being collapsed or the page
 * changing; a React pane only lends it a place in the document.
 */
export class TerminalSession {
  readonly host: HTMLDivElement = document.createElement('div');
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private sessionId: string | null = null;
  private state: TabState = 'connecting';
  private openedInDom = false;
  private started = false;
  private closed = false;
  private drawnNotAcked = 0;

  constructor(
    readonly element: string,
    private readonly onStatus: (status: TabStatus) => void,
    theme: ITheme,
    fontFamily: string,
  ) {
    this.host.style.height = '100%';
    this.term = new Terminal({ theme, fontFamily, fontSize: 13, cursorBlink: true, scrollback: 5000, allowProposedApi: false });
    this.term.loadAddon(this.fitAddon);
    this.term.onData((data) => this.send(data));
    this.term.onResize(({ cols, rows }) => {
      if (this.state === 'open' && this.sessionId) void bridge.invoke('shell/resize', { sessionId: this.sessionId, cols, rows });
    });
  }

  /** Puts the terminal into `container`; the first time, sizes it and opens the session at that size. */
  attach(container: HTMLElement): void {
    if (this.closed) return;
    container.appendChild(this.host);
    if (!this.openedInDom) {
      this.term.open(this.host);
      this.openedInDom = true;
    }
    this.fit();
    if (!this.started) {
      this.started = true;
      void this.start();
    }
  }

  detach(): void {
    this.host.remove();
  }

  /** Fits the terminal to its place (a hidden one keeps its size); a new size reaches the remote pty. */
  fit(): void {
    if (!this.openedInDom || !this.host.isConnected || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fitAddon.fit();
    } catch {
      // not measurable yet (fonts loading): the next resize fits it
    }
  }

  focus(): void {
    this.term.focus();
  }

  setTheme(theme: ITheme): void {
    this.term.options.theme = theme;
  }

  /** Ends the session (main closes the remote channel or the local process group) and frees the terminal. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sessionId && this.state === 'open') {
      releaseSession(this.sessionId);
      void bridge.invoke('shell/close', { sessionId: this.sessionId });
    }
    this.term.dispose();
    this.host.remove();
  }

  /** The window lost main (the console's connection dropped): main has ended the shell. */
  lost(message: string): void {
    if (this.state !== 'open' && this.state !== 'connecting') return;
    if (this.sessionId) releaseSession(this.sessionId);
    this.finish('ended', message);
  }

  private async start(): Promise<void> {
    listenForShells();
    const { cols, rows } = this.term;
    const r = await bridge.invoke('shell/open', { element: this.element, cols, rows });
    if (!r.ok) {
      if (!this.closed) this.finish('failed', errorText(r.error));
      return;
    }
    const { sessionId } = r.value;
    if (this.closed || this.state !== 'connecting') {
      // The tab was closed (or the connection lost) while the shell was being opened.
      releaseSession(sessionId);
      void bridge.invoke('shell/close', { sessionId });
      return;
    }
    this.sessionId = sessionId;
    this.state = 'open';
    this.onStatus({ state: 'open' });
    claimSession(sessionId, { output: (data) => this.output(data), exited: (exit) => this.finish('ended', describeExit(exit)) });
    // The place may have changed size while the connection was being made.
    if (this.term.cols !== cols || this.term.rows !== rows) void bridge.invoke('shell/resize', { sessionId, cols: this.term.cols, rows: this.term.rows });
    this.term.focus();
  }

  private output(data: string): void {
    if (this.closed) return;
    this.term.write(data, () => {
      this.drawnNotAcked += data.length;
      if (this.drawnNotAcked < ACK_CHARS || this.state !== 'open' || !this.sessionId) return;
      const chars = this.drawnNotAcked;
      this.drawnNotAcked = 0;
      void bridge.invoke('shell/ack', { sessionId: this.sessionId, chars });
    });
  }

  private send(data: string): void {
    if (this.state !== 'open' || !this.sessionId) return;
    for (let i = 0; i < data.length; i += INPUT_CHUNK) {
      void bridge.invoke('shell/input', { sessionId: this.sessionId, data: data.slice(i, i + INPUT_CHUNK) });
    }
  }

  private finish(state: 'ended' | 'failed', message: string): void {
    this.state = state;
    this.onStatus({ state, message });
    if (this.closed) return;
    // Dimmed, on a line of its own: the last screen stays readable until the tab is closed.
    this.term.write(`\r\n\x1b[2m[flowdeck: ${state === 'failed' ? 'no shell' : 'shell ended'}: ${message}]\x1b[0m\r\n`);
  }
}
