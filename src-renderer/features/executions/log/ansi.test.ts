import { describe, expect, it } from 'vitest';
import { endState, parseAnsi, PLAIN, sgrClasses, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('keeps plain text as one segment', () => {
    expect(parseAnsi('hello').segments).toEqual([{ ...PLAIN, text: 'hello' }]);
  });

  it('reads colours, bold and reset', () => {
    const { segments, end } = parseAnsi('a\x1b[31mred\x1b[1;42mboth\x1b[0mplain');
    expect(segments.map((s) => [s.text, sgrClasses(s)])).toEqual([
      ['a', ''],
      ['red', 'ansi-fg-31'],
      ['both', 'ansi-fg-31 ansi-bg-42 ansi-bold'],
      ['plain', ''],
    ]);
    expect(end).toEqual(PLAIN);
  });

  it('reads bright colours and default resets', () => {
    const { segments } = parseAnsi('\x1b[91;104mx\x1b[39my\x1b[49mz');
    expect(segments.map((s) => [s.text, s.fg, s.bg])).toEqual([
      ['x', 91, 104],
      ['y', null, 104],
      ['z', null, null],
    ]);
  });

  it('drops other escapes and skips 256-colour arguments', () => {
    const { segments } = parseAnsi('\x1b[2K\x1b]0;title\x07\x1b[38;5;196mx\x1b[32my');
    expect(segments.map((s) => [s.text, s.fg])).toEqual([
      ['x', null],
      ['y', 32],
    ]);
  });

  it('carries state from a previous line', () => {
    const start = endState('\x1b[33mstill yellow', PLAIN);
    expect(start.fg).toBe(33);
    expect(parseAnsi('next', start).segments[0]?.fg).toBe(33);
    expect(endState('x\x1b[0m', start)).toEqual(PLAIN);
  });

  it('strips escapes for search', () => {
    expect(stripAnsi('\x1b[1;31merror\x1b[0m: bad')).toBe('error: bad');
    expect(stripAnsi('lone \x1b')).toBe('lone ');
  });

  it('never produces markup: text stays text', () => {
    const { segments } = parseAnsi('<img src=x onerror=alert(1)>');
    expect(segments[0]?.text).toBe('<img src=x onerror=alert(1)>');
  });
});
