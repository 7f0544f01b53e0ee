/** The SPEC 4 example: F1 = [A, call F2, F] and F2 = [B, C, D], in every mode combination. */

// Long enough that "side by side" and "one after another" cannot be confused on a busy 2-core machine.
export const STEP = 'sleep 0.4';

export function childFlow(id: string, mode: string): string {
  return `
id: ${id}
name: child ${mode}
mode: ${mode}
processing: order_flow_elements(elements, x => x.context.rank, true)
steps:
  - { id: B, run: ${STEP} }
  - { id: C, run: ${STEP} }
  - { id: D, run: ${STEP} }
`;
}

export function parentFlow(id: string, mode: string, childId: string, reverse = true): string {
  return `
id: ${id}
name: parent ${mode}
mode: ${mode}
targets: { elements: [e1, e2] }
processing: |
  // E1 has the higher rank: reverse order puts it first, whatever the inventory order.
  order_flow_elements(elements, x => x.context.rank, ${reverse})
steps:
  - { id: A, run: ${STEP} }
  - { id: F2, flow: ${childId} }
  - { id: F, run: ${STEP} }
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

/** Writes the six flows of the SPEC table into a workspace; returns their paths. */
export function modeFlowFiles(file: (name: string, text: string) => string): string[] {
  return [
    file('c-serial.yaml', childFlow('c-serial', 'serial')),
    file('c-parallel.yaml', childFlow('c-parallel', 'parallel')),
    file('p-ss.yaml', parentFlow('p-ss', 'serial', 'c-serial')),
    file('p-sp.yaml', parentFlow('p-sp', 'serial', 'c-parallel')),
    file('p-ps.yaml', parentFlow('p-ps', 'parallel', 'c-serial')),
    file('p-pp.yaml', parentFlow('p-pp', 'parallel', 'c-parallel')),
    file('p-ss-fwd.yaml', parentFlow('p-ss-fwd', 'serial', 'c-serial', false)),
  ];
}
