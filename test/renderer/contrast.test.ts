import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Readability of the themes, computed from the tokens themselves: WCAG 2 contrast ratios of the
 * text colours against the surfaces they are drawn on, in the light and in the dark theme, and of
 * every ANSI colour against the log's background.
 */

const tokensCss = readFileSync(join(resolve(import.meta.dirname, '..', '..'), 'src-renderer', 'theme', 'tokens.css'), 'utf8');

function block(selector: string): Record<string, string> {
  const start = tokensCss.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in tokens.css`);
  const body = tokensCss.slice(start, tokensCss.indexOf('\n}', start));
  return Object.fromEntries([...body.matchAll(/^\s*(--[\w-]+):\s*([^;]+);/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]));
}

const light = block(':root');
const dark = { ...light, ...block(":root[data-theme='dark']") };
const THEMES = { light, dark };

function rgb(tokens: Record<string, string>, name: string): [number, number, number] {
  const value = tokens[name];
  const hex = value?.match(/^#([0-9a-f]{6})$/i)?.[1];
  if (hex === undefined) throw new Error(`${name} is not a #rrggbb colour: ${value}`);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background, least ratio]: 4.5 for body text, 3 for bold badge words and large marks. */
const PAIRS: Array<[string, string, number]> = [
  ...['--bg', '--surface', '--surface-2'].flatMap((bg): Array<[string, string, number]> => [
    ['--text', bg, 7],
    ['--muted', bg, 4.5],
    ['--danger', bg, 4.5],
    ['--warn', bg, 4.5],
    ['--ok', bg, 4.5],
  ]),
  ['--accent', '--surface', 4.5],
  ['--text', '--selected', 7],
  ['--accent-text', '--accent', 4.5],
  ...['succeeded', 'failed', 'timed-out', 'running', 'pending', 'queued', 'cancelled', 'interrupted', 'paused'].map((s): [string, string, number] => ['--on-status', `--st-${s}`, 3]),
  ['--text', '--st-skipped', 4.5],
  ...['run', 'script', 'task', 'sleep', 'http', 'flow'].map((k): [string, string, number] => ['--on-kind', `--kind-${k}`, 3]),
  ['--log-text', '--log-bg', 7],
  ['--log-muted', '--log-bg', 4.5],
  ['--log-system', '--log-bg', 4.5],
  ['--log-mark-text', '--log-mark-bg', 4.5],
  ['--log-mark-current-text', '--log-mark-current-bg', 4.5],
  ...Object.keys(light)
    .filter((name) => name.startsWith('--ansi-fg-'))
    .map((name): [string, string, number] => [name, '--log-bg', 4.5]),
  ['--ansi-on-light', '--ansi-bg-47', 4.5],
  ['--ansi-on-light', '--ansi-bg-107', 4.5],
];

describe('theme contrast', () => {
  it('finds the sixteen ANSI foreground colours among the tokens', () => {
    expect(PAIRS.filter(([fg]) => fg.startsWith('--ansi-fg-'))).toHaveLength(16);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([119, 119, 119], [255, 255, 255])).toBeCloseTo(4.48, 2);
  });

  for (const [theme, tokens] of Object.entries(THEMES)) {
    it(`keeps text readable in the ${theme} theme`, () => {
      const weak = PAIRS.map(([fg, bg, least]) => ({ fg, bg, least, ratio: contrast(rgb(tokens, fg), rgb(tokens, bg)) }))
        .filter((p) => p.ratio < p.least)
        .map((p) => `${p.fg} on ${p.bg}: ${p.ratio.toFixed(2)} < ${p.least}`);
      expect(weak).toEqual([]);
    });
  }
});
