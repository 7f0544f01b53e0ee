import { describe, expect, it } from 'vitest';
import { scriptProblemOf } from './script-problem';

// Lines: 1 id, 2 name, 3 targets, 4 processing header, 5-6 the script, 7 steps.
const SOURCE = `id: x
name: X
targets: { expression: "element.context.rank > 1" }
processing: |
  const ranked = order_flow_elements(elements, x => x.context.rank);
  throw new Error('no');
steps:
  - { id: a, run: 'true' }
`;

describe('scriptProblemOf', () => {
  it("moves a problem in a block script to the script's own line and column", () => {
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'boom', line: 6, column: 3 })).toEqual({ message: 'boom', line: 2, column: 1 });
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'boom', line: 5, column: 10 })).toEqual({ message: 'boom', line: 1, column: 8 });
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'boom', line: 5 })).toEqual({ message: 'boom', line: 1, column: undefined });
  });

  it("drops the script's own place from the message when it is the line shown", () => {
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'x.processing:2:9: Error: no', line: 6, column: 9 })?.message).toBe('Error: no');
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'x.processing:1:9: Error: no', line: 6, column: 9 })?.message).toBe('x.processing:1:9: Error: no');
  });

  it('is null for a problem outside the script or with no place', () => {
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'header', line: 4, column: 1 })).toBeNull();
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'steps', line: 7, column: 1 })).toBeNull();
    expect(scriptProblemOf(SOURCE, ['processing'], { message: 'no line' })).toBeNull();
    expect(scriptProblemOf(SOURCE, ['processing'], null)).toBeNull();
    expect(scriptProblemOf('id: x\nsteps: [\n', ['processing'], { message: 'bad', line: 2 })).toBeNull();
    expect(scriptProblemOf('id: x\n', ['processing'], { message: 'bad', line: 1 })).toBeNull();
  });

  it('moves a problem in a one-line quoted script to its column', () => {
    // `targets: { expression: "` is 24 characters: the script's column 1 is the YAML's 25.
    expect(scriptProblemOf(SOURCE, ['targets', 'expression'], { message: 'bad', line: 3, column: 33 })).toEqual({ message: 'bad', line: 1, column: 9 });
    expect(scriptProblemOf(SOURCE, ['targets', 'expression'], { message: 'bad', line: 5, column: 3 })).toBeNull();
  });
});
