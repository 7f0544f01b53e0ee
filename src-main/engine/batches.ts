import type { FlowDocument } from '../../src-shared/domain/flow';

/** Splits `items` into runs of `size` (at least 1), in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, size);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/**
 * The batches a flow runs its elements in (docs/semantics.md): `batchSize`, by default one element in
 * serial mode and all of them in parallel mode. The executor and the dry-run plan share it.
 */
export function batchesOf<T>(flow: Pick<FlowDocument, 'batchSize' | 'mode'>, elements: readonly T[]): T[][] {
  return chunk(elements, batchSizeOf(flow, elements.length));
}

export function batchSizeOf(flow: Pick<FlowDocument, 'batchSize' | 'mode'>, count: number): number {
  return flow.batchSize ?? (flow.mode === 'serial' ? 1 : count);
}
