import type { ITheme } from '@xterm/xterm';

/** xterm's sixteen colour slots, in the order of the `--term-ansi-N` tokens (0-7 normal, 8-15 bright). */
const ANSI_SLOTS = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const satisfies ReadonlyArray<keyof ITheme>;

/**
 * The terminal's colours from the design tokens of the theme on screen. xterm draws with concrete
 * colours, not CSS variables, so they are read off the document and read again when the theme changes.
 */
export function terminalTheme(style: CSSStyleDeclaration = getComputedStyle(document.documentElement)): ITheme {
  const token = (name: string): string => style.getPropertyValue(name).trim();
  const theme: ITheme = {
    background: token('--term-bg'),
    foreground: token('--term-fg'),
    cursor: token('--term-cursor'),
    cursorAccent: token('--term-cursor-text'),
    selectionBackground: token('--term-selection'),
  };
  ANSI_SLOTS.forEach((slot, i) => {
    theme[slot] = token(`--term-ansi-${i}`);
  });
  return theme;
}

/** The monospace font stack of the tokens. */
export function terminalFont(style: CSSStyleDeclaration = getComputedStyle(document.documentElement)): string {
  return style.getPropertyValue('--font-mono').trim() || 'monospace';
}
