/**
 * A small ANSI SGR reader for log lines: foreground 30-37 / 90-97, background 40-47 / 100-107,
 * bold, dim, italic, underline and their resets. Other escape sequences (cursor moves, OSC
 * titles, 256/true-colour arguments) are dropped, never shown as garbage. The output is plain
 * data (text + style); the view turns it into spans with classes, so log text is never HTML.
 */

export interface SgrState {
  fg: number | null;
  bg: number | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

export interface Segment extends SgrState {
  text: string;
}

export const PLAIN: SgrState = Object.freeze({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });

export function isPlain(s: SgrState): boolean {
  return s.fg === null && s.bg === null && !s.bold && !s.dim && !s.italic && !s.underline;
}

// CSI (ESC [ params final), OSC (ESC ] ... BEL | ESC \), and any other two-byte escape.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b(?:\[([0-9;:?<=>]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\s\S]?)/g;

/** Applies one SGR parameter list (`1;31`) to a state, returning the new state. */
function applySgr(state: SgrState, params: string): SgrState {
  const s: SgrState = { ...state };
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c === 0) Object.assign(s, PLAIN);
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) {
      s.bold = false;
      s.dim = false;
    } else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) s.fg = c;
    else if (c === 39) s.fg = null;
    else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) s.bg = c;
    else if (c === 49) s.bg = null;
    else if (c === 38 || c === 48) {
      // 38;5;n or 38;2;r;g;b: colours we do not draw; skip their arguments.
      const mode = codes[i + 1];
      i += mode === 5 ? 2 : mode === 2 ? 4 : 1;
    }
  }
  return s;
}

/** Splits a line into styled segments, starting from `start` (the state the line began in). */
export function parseAnsi(line: string, start: SgrState = PLAIN): { segments: Segment[]; end: SgrState } {
  if (line.indexOf('\x1b') === -1) {
    return { segments: line === '' ? [] : [{ ...start, text: line }], end: start };
  }
  const segments: Segment[] = [];
  let state = start;
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(line); m !== null; m = ESCAPE.exec(line)) {
    if (m.index > last) segments.push({ ...state, text: line.slice(last, m.index) });
    if (m[2] === 'm') state = applySgr(state, m[1] ?? '');
    last = m.index + m[0].length;
  }
  if (last < line.length) segments.push({ ...state, text: line.slice(last) });
  return { segments, end: state };
}

/** The state after a line, without building segments. */
export function endState(line: string, start: SgrState): SgrState {
  const lastEsc = line.lastIndexOf('\x1b');
  if (lastEsc === -1) return start;
  // The common coloured line ends with a reset: whatever came before, the line ends plain.
  if (line.startsWith('\x1b[0m', lastEsc) || line.startsWith('\x1b[m', lastEsc)) return PLAIN;
  let state = start;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(line); m !== null; m = ESCAPE.exec(line)) {
    if (m[2] === 'm') state = applySgr(state, m[1] ?? '');
  }
  return state;
}

/** The text a reader sees: escapes removed. */
export function stripAnsi(line: string): string {
  return line.indexOf('\x1b') === -1 ? line : line.replace(ESCAPE, '');
}

/** CSS classes for a segment's style. */
export function sgrClasses(s: SgrState): string {
  let c = '';
  if (s.fg !== null) c += ` ansi-fg-${s.fg}`;
  if (s.bg !== null) c += ` ansi-bg-${s.bg}`;
  if (s.bold) c += ' ansi-bold';
  if (s.dim) c += ' ansi-dim';
  if (s.italic) c += ' ansi-italic';
  if (s.underline) c += ' ansi-underline';
  return c.trim();
}
