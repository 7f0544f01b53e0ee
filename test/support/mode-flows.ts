/** The example of the product's child-flow table: F1 = [A, call F2, F] and F2 = [B, C, D], in every mode combination. */
import { expect } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { workRuns } from './report';

// Long enough that "side by side" and "one after another" cannot be confused on a busy 2-core machine.
const STEP = 'sleep 0.4';

/**
 * What one step of the example runs: the YAML entries after its `id`, given its label in the
 * table's notation (`A`, `F2/B`) and how many elements run it side by side (1: one at a time).
 */
export type StepBody = (label: string, side: number) => string;

/** A command that takes a while (for suites that compare recorded times). */
const sleeping: StepBody = () => `run: ${STEP}`;

/** The command is the label itself: a ControlledTransport knows each step by it (`F2/B@e1`). */
export const named: StepBody = (label) => `run: ${label}`;

/**
 * Real shell commands that append `start LABEL` and `end LABEL` to `dir`/order.log. A step run
 * by several elements side by side also waits at a barrier (`dir`/barrier/LABEL, which the test
 * empties before each run) until all of them have reached it, so they provably ran at the same
 * time: run one at a time, they would never pass it, and the step fails after a generous bound
 * with a line saying so. No templates: nothing here waits on the script sandbox.
 */
export function marking(dir: string): StepBody {
  return (label, side) => {
    const log = `${dir}/order.log`;
    const wait = `${dir}/barrier/${label.replace(/\//g, '_')}`;
    const barrier =
      side > 1
        ? `mkdir -p ${wait}; mktemp -p ${wait} > /dev/null; n=0; until [ "$(ls ${wait} | wc -l)" -ge ${side} ]; do n=$((n+1)); ` +
          `if [ $n -gt 300 ]; then echo "barrier ${label}: only $(ls ${wait} | wc -l) of ${side} got there" >&2; exit 9; fi; sleep 0.05; done; `
        : '';
    return `run: ${JSON.stringify(`echo "start ${label}" >> ${log}; ${barrier}echo "end ${label}" >> ${log}`)}`;
  };
}

/** A child of the example; `side` is how many elements its caller hands it at once. */
function childFlow(id: string, mode: string, body: StepBody = sleeping, side = 2): string {
  const each = mode === 'parallel' ? side : 1;
  return `
id: ${id}
name: child ${mode}
mode: ${mode}
processing: order_flow_elements(elements, x => x.context.rank, true)
steps:
  - { id: B, ${body('F2/B', each)} }
  - { id: C, ${body('F2/C', each)} }
  - { id: D, ${body('F2/D', each)} }
`;
}

function parentFlow(id: string, mode: string, childId: string, reverse = true, body: StepBody = sleeping): string {
  const each = mode === 'parallel' ? 2 : 1;
  return `
id: ${id}
name: parent ${mode}
mode: ${mode}
targets: { elements: [e1, e2] }
processing: |
  // E1 has the higher rank: reverse order puts it first, whatever the inventory order.
  order_flow_elements(elements, x => x.context.rank, ${reverse})
steps:
  - { id: A, ${body('A', each)} }
  - { id: F2, flow: ${childId} }
  - { id: F, ${body('F', each)} }
`;
}

export const serialOrder = (first: string, second: string): string[][] =>
  [first, second].flatMap((e) => ['A', 'F2/B', 'F2/C', 'F2/D', 'F'].map((s) => [`${s}@${e}`]));

export const parallelSerialOrder = [
  ['A@e1', 'A@e2'],
  ['F2/B@e1'],
  ['F2/C@e1'],
  ['F2/D@e1'],
  ['F2/B@e2'],
  ['F2/C@e2'],
  ['F2/D@e2'],
  ['F@e1', 'F@e2'],
];

export const parallelParallelOrder = [
  ['A@e1', 'A@e2'],
  ['F2/B@e1', 'F2/B@e2'],
  ['F2/C@e1', 'F2/C@e2'],
  ['F2/D@e1', 'F2/D@e2'],
  ['F@e1', 'F@e2'],
];

/**
 * The flows of the table as YAML texts: the children, the four parents, and one in ascending
 * order. The serial parent calls its own copy of the parallel child (`c-parallel-1`, handed one
 * element at a time), so a barrier in the child knows how many elements reach it together.
 */
export function modeFlows(body: StepBody = sleeping): Record<string, string> {
  return {
    'c-serial': childFlow('c-serial', 'serial', body),
    'c-parallel': childFlow('c-parallel', 'parallel', body, 2),
    'c-parallel-1': childFlow('c-parallel-1', 'parallel', body, 1),
    'p-ss': parentFlow('p-ss', 'serial', 'c-serial', true, body),
    'p-sp': parentFlow('p-sp', 'serial', 'c-parallel-1', true, body),
    'p-ps': parentFlow('p-ps', 'parallel', 'c-serial', true, body),
    'p-pp': parentFlow('p-pp', 'parallel', 'c-parallel', true, body),
    'p-ss-fwd': parentFlow('p-ss-fwd', 'serial', 'c-serial', false, body),
  };
}

/** Writes the flows of the table into a workspace; returns their paths. */
export function modeFlowFiles(file: (name: string, text: string) => string, body: StepBody = sleeping): string[] {
  return Object.entries(modeFlows(body)).map(([id, text]) => file(`${id}.yaml`, text));
}

/** Each parent of the table, the order it must run in, and the row it stands for. */
export const modeTable: Array<{ flow: string; row: string; waves: string[][] }> = [
  { flow: 'p-ss', row: 'Serial parent, serial child: A1 B1 C1 D1 F1, then A2 B2 C2 D2 F2', waves: serialOrder('e1', 'e2') },
  { flow: 'p-sp', row: 'Serial parent, parallel child: the same, the child gets one element each time', waves: serialOrder('e1', 'e2') },
  { flow: 'p-ps', row: 'Parallel parent, serial child: {A1,A2}, B1 C1 D1 B2 C2 D2, {F1,F2}', waves: parallelSerialOrder },
  { flow: 'p-pp', row: 'Parallel parent, parallel child: {A1,A2} {B1,B2} {C1,C2} {D1,D2} {F1,F2}', waves: parallelParallelOrder },
  { flow: 'p-ss-fwd', row: 'the processing script decides the order: ascending rank runs E2 first', waves: serialOrder('e2', 'e1') },
];

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/**
 * The lines `marking` wrote, against the waves: each wave's starts come before any of its ends
 * (they ran side by side), and a wave's lines all come before the next wave's (it waited). The
 * lines name the step only; which element ran it is in the recorded runs.
 */
export function assertMarkedOrder(lines: readonly string[], waves: readonly string[][]): void {
  let at = 0;
  for (const wave of waves) {
    const labels = wave.map((k) => k.slice(0, k.lastIndexOf('@')));
    expect(lines.slice(at, at + wave.length), `the starts of {${wave.join(',')}} at line ${at + 1}`).toEqual(labels.map((l) => `start ${l}`));
    expect(lines.slice(at + wave.length, at + 2 * wave.length), `the ends of {${wave.join(',')}}`).toEqual(labels.map((l) => `end ${l}`));
    at += 2 * wave.length;
  }
  expect(lines.slice(at), 'lines after the last wave').toEqual([]);
}

/**
 * The step runs an execution recorded, against the waves: exactly the expected work runs, all
 * succeeded, and no run of a wave started before every run of the wave before it had ended.
 */
export function assertRecordedOrder(rep: ExecutionReport, waves: readonly string[][]): void {
  const runs = workRuns(rep);
  expect(sorted([...runs.keys()])).toEqual(sorted(waves.flat()));
  let prevEnd = -Infinity;
  let prev = '(start)';
  for (const wave of waves) {
    const rs = wave.map((k) => runs.get(k) as NonNullable<ReturnType<typeof runs.get>>);
    for (const [i, r] of rs.entries()) {
      expect(r.status, wave[i]).toBe('succeeded');
      expect(r.startedAt as number, `${wave[i]} started before {${prev}} ended`).toBeGreaterThanOrEqual(prevEnd);
    }
    // Side by side: the last of the wave started before the first of it ended.
    if (rs.length > 1) expect(Math.max(...rs.map((r) => r.startedAt as number)), `{${wave.join(',')}} ran side by side`).toBeLessThanOrEqual(Math.min(...rs.map((r) => r.finishedAt as number)));
    prevEnd = Math.max(...rs.map((r) => r.finishedAt as number));
    prev = wave.join(',');
  }
}
