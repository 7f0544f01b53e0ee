import { describe, expect, it } from 'vitest';
import { moveStep, readFlow, readFlowLoose, setFlowField } from './flow-yaml';
import { scriptProblemOf } from './script-problem';

// What the flow editor may be handed (a paste, a file dropped in): the parser never sees it.
const DEEP = `id: deep\nname: deep\nsteps: ${'['.repeat(900)}\n`;
const BOMB = ['id: bomb', 'name: bomb', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat(Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`))
  .join('\n');

describe('the flow editor with hostile YAML', () => {
  it('shows the nesting limit at its place instead of parsing', () => {
    expect(readFlow(DEEP)).toEqual({ ok: false, error: '3:71: lists and mappings are nested deeper than 64 levels; Flowdeck reads at most 64' });
    expect(readFlowLoose(DEEP)).toBeNull();
  });

  it('shows an alias bomb at the alias that makes it too large', () => {
    const r = readFlow(BOMB);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^8:8: the aliases expand to more than 100000 values/);
  });

  it('leaves such a text as it is when a form edits it, and places no script problem in it', () => {
    expect(setFlowField(DEEP, 'name', 'x')).toBe(DEEP);
    expect(moveStep(DEEP, 0, 1)).toBe(DEEP);
    expect(scriptProblemOf(DEEP, ['processing'], { message: 'boom', line: 3, column: 1 })).toBeNull();
  });
});
