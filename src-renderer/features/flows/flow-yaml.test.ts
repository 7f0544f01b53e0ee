import { describe, expect, it } from 'vitest';
import {
  addParam,
  addStep,
  freshStepId,
  kindOf,
  moveParam,
  moveStep,
  processingOfScript,
  readFlow,
  readFlowLoose,
  removeParam,
  removeStep,
  scriptOfProcessing,
  setFlowField,
  setProcessing,
  setTargetField,
  updateParam,
  updateStep,
} from './flow-yaml';

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

const FLOW = `# rollout of the app tier
id: roll
name: Roll # shown in the list
mode: serial
targets: { groups: [app] } # the app tier
params:
  - { name: reason, default: testing }
processing: |
  // lowest rank first
  order_flow_elements(elements, x => x.context.rank)
steps:
  - id: a
    run: echo a # first
`;

const valueOf = (source: string): Record<string, unknown> => {
  const r = readFlow(source);
  if (!r.ok) throw new Error(r.error);
  return r.flow;
};

describe('flow-yaml: the settings form helpers', () => {
  it('sets top-level fields in place, comments elsewhere survive', () => {
    const out = setFlowField(setFlowField(FLOW, 'name', 'Rolling'), 'mode', 'parallel');
    expect(valueOf(out)).toMatchObject({ name: 'Rolling', mode: 'parallel' });
    expect(out).toContain('# rollout of the app tier');
    expect(out).toContain('name: Rolling # shown in the list');
    expect(out).toContain('# the app tier');
    expect(out).toContain('// lowest rank first');
    expect(out).toContain('run: echo a # first');
  });

  it('places a new key where the README writes it, not after the steps', () => {
    const out = setFlowField(FLOW, 'concurrency', 2);
    expect(valueOf(out).concurrency).toBe(2);
    const lines = out.split('\n');
    const at = lines.indexOf('concurrency: 2');
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith('targets:')));
    expect(at).toBeLessThan(lines.indexOf('params:'));
    const described = setFlowField(FLOW, 'description', 'the app tier, one by one');
    expect(described.split('\n').indexOf('description: the app tier, one by one')).toBe(described.split('\n').findIndex((l) => l.startsWith('name:')) + 1);
  });

  it('empty removes the key, so its default applies', () => {
    const withTimeout = setFlowField(FLOW, 'timeout', 600);
    expect(valueOf(withTimeout).timeout).toBe(600);
    const cleared = setFlowField(withTimeout, 'timeout', undefined);
    expect(cleared).not.toContain('timeout');
    expect(setFlowField(FLOW, 'name', '')).not.toMatch(/^name:/m);
    expect(setFlowField(cleared, 'failFast', true)).toContain('failFast: true');
  });

  it('keeps strings that look like numbers strings', () => {
    const out = setFlowField(FLOW, 'name', '123');
    expect(valueOf(out).name).toBe('123');
  });

  it('edits targets: lists keep their inline style, the last field removed removes targets', () => {
    const two = setTargetField(FLOW, 'groups', ['app', 'web']);
    expect(valueOf(two).targets).toEqual({ groups: ['app', 'web'] });
    expect(two).toMatch(/^targets: \{ groups: \[ app, web \] \} # the app tier$/m);
    const withFilter = setTargetField(two, 'filters', { 'context.role': 'db', rank: 2 });
    expect(valueOf(withFilter).targets).toEqual({ groups: ['app', 'web'], filters: { 'context.role': 'db', rank: 2 } });
    const expr = setTargetField(withFilter, 'expression', "element.context.rank > 1 && element.host !== 'x'");
    expect((valueOf(expr).targets as Record<string, unknown>).expression).toBe("element.context.rank > 1 && element.host !== 'x'");
    const none = setTargetField(setTargetField(setTargetField(expr, 'groups', []), 'filters', {}), 'expression', '');
    expect(valueOf(none).targets).toBeUndefined();
    expect(none).not.toContain('targets');
    expect(none).toContain('# rollout of the app tier');
  });

  it('adds targets to a flow without them, before the steps', () => {
    const bare = 'id: x\nname: X\nsteps:\n  - run: "true"\n';
    const out = setTargetField(bare, 'profile', 'postgres');
    expect(valueOf(out).targets).toEqual({ profile: 'postgres' });
    expect(out.indexOf('targets')).toBeLessThan(out.indexOf('steps'));
    expect(setTargetField(bare, 'elements', [])).toBe(bare);
  });

  it('writes processing as a block scalar, keeps its comment, and maps the editor text both ways', () => {
    const out = setProcessing(FLOW, 'order_flow_elements(elements, x => x.id, true)\nfilter_flow_elements(elements, x => x.id !== "b")');
    expect(out).toContain('processing: |\n  order_flow_elements(elements, x => x.id, true)\n  filter_flow_elements(elements, x => x.id !== "b")\nsteps:');
    expect(valueOf(out).processing).toBe('order_flow_elements(elements, x => x.id, true)\nfilter_flow_elements(elements, x => x.id !== "b")\n');
    // A one-line script written inline becomes a block too: its lines are then the document's lines.
    const inline = setProcessing('id: x\nname: X\nprocessing: "elements"\nsteps: []\n', 'elements.reverse()');
    expect(inline).toContain('processing: |\n  elements.reverse()\n');
    // Added where the README puts it; blank removes it.
    const added = setProcessing('id: x\nname: X\nsteps: []\n', 'elements');
    expect(added.indexOf('processing')).toBeLessThan(added.indexOf('steps'));
    expect(setProcessing(FLOW, '  \n')).not.toContain('processing');
    expect(scriptOfProcessing('a\nb\n')).toBe('a\nb');
    expect(processingOfScript('a\nb')).toBe('a\nb\n');
    expect(processingOfScript(scriptOfProcessing('a\n\n'))).toBe('a\n\n');
    expect(processingOfScript('')).toBe('');
  });

  it('adds, edits, moves and removes params in the style already there', () => {
    const added = addParam(FLOW, { name: 'batch' });
    expect(added).toContain('  - { name: reason, default: testing }\n  - { name: batch }');
    const edited = updateParam(added, 1, { default: 5, required: true, description: 'how many' });
    expect((valueOf(edited).params as unknown[])[1]).toEqual({ name: 'batch', default: 5, required: true, description: 'how many' });
    const unset = updateParam(edited, 1, { required: undefined, default: '' });
    expect((valueOf(unset).params as unknown[])[1]).toEqual({ name: 'batch', description: 'how many' });
    const moved = moveParam(edited, 1, 0);
    expect((valueOf(moved).params as Array<{ name: string }>).map((p) => p.name)).toEqual(['batch', 'reason']);
    const removed = removeParam(removeParam(moved, 0), 0);
    expect(valueOf(removed).params).toBeUndefined();
    expect(removed).toContain('# the app tier');
    const first = addParam('id: x\nname: X\nsteps: []\n', { name: 'reason', default: 'x' });
    expect(first).toContain('params:\n  - { name: reason, default: x }\n');
    expect(first.indexOf('params')).toBeLessThan(first.indexOf('steps'));
  });

  it('leaves a text that does not parse untouched', () => {
    const broken = 'id: x\nname: [\n';
    expect(setFlowField(broken, 'name', 'X')).toBe(broken);
    expect(setTargetField(broken, 'groups', ['a'])).toBe(broken);
    expect(setProcessing(broken, 'elements')).toBe(broken);
    expect(addParam(broken, { name: 'p' })).toBe(broken);
  });
});

describe('readFlowLoose', () => {
  it('recovers what it can of a text that does not parse', () => {
    expect(readFlowLoose('id: x\nname: X\nmode: parallel\nname: [\n')).toMatchObject({ id: 'x', mode: 'parallel' });
    expect(readFlowLoose('- a\n- b\n')).toBeNull();
  });
});
