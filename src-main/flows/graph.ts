import { FlowdeckError } from '../../src-shared/errors';
import type { FlowDocument } from '../../src-shared/domain/flow';

/** Child flows nest at most this deep: deeper is almost surely a mistake, and a stack to overflow. */
export const MAX_FLOW_DEPTH = 8;


/**
 * Refuses unknown child flows, cycles (F1 -> F2 -> F1) and nesting deeper than 8, looking
 * flows up with `flowById` (the current documents) and `root` as it would be saved.
 */
export function checkFlowGraph(root: FlowDocument, flowById: (id: string) => FlowDocument | undefined): void {
  const lookup = (id: string): FlowDocument | undefined => (id === root.id ? root : flowById(id));
  const walk = (doc: FlowDocument, path: string[]): void => {
    if (path.length > MAX_FLOW_DEPTH) {
      throw new FlowdeckError('cycle', `child flows nest deeper than ${MAX_FLOW_DEPTH} levels: ${path.join(' -> ')}`);
    }
    for (const s of doc.steps) {
      if (!('flow' in s)) continue;
      if (path.includes(s.flow)) {
        throw new FlowdeckError('cycle', `cycle of child flows: ${[...path, s.flow].join(' -> ')} (step "${s.id}" of flow "${doc.id}")`);
      }
      const child = lookup(s.flow);
      if (!child) {
        throw new FlowdeckError('not-found', `flow "${doc.id}" step "${s.id}" calls unknown flow "${s.flow}"`);
      }
      walk(child, [...path, s.flow]);
    }
  };
  walk(root, [root.id]);
}
