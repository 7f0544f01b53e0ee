import { describe, expect, it } from 'vitest';
import { addStep, freshStepId, kindOf, moveStep, readFlow, removeStep, updateStep } from './flow-yaml';

const SOURCE = `id: f
name: F
# the steps
steps:
  - id: a
    run: echo a # first
  - id: b
    sleep: 2
`;

describe('flow-yaml', () => {
  it('reads steps and their kinds', () => {
    const r = readFlow(SOURCE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.steps.map(kindOf)).toEqual(['run', 'sleep']);
    expect(freshStepId(r.steps)).toBe('step-3');
  });

  it('reports YAML errors with their line', () => {
    const r = readFlow('id: f\nsteps: [\n');
    expect(r.ok).toBe(false);
  });

  it('moves, removes, adds and edits steps keeping comments', () => {
    const moved = moveStep(SOURCE, 1, 0);
    expect(moved.indexOf('id: b')).toBeLessThan(moved.indexOf('id: a'));
    expect(moved).toContain('# the steps');
    expect(moved).toContain('# first');
    const removed = removeStep(SOURCE, 0);
    expect(removed).not.toContain('id: a');
    const added = addStep(SOURCE, { id: 'c', run: 'echo c' });
    expect(readFlow(added).ok && (readFlow(added) as { steps: unknown[] }).steps.length).toBe(3);
    const edited = updateStep(SOURCE, 0, { run: 'echo changed', name: 'Changed', when: '' });
    expect(edited).toContain('run: echo changed');
    expect(edited).toContain('name: Changed');
  });
});
