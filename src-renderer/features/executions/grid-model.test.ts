import { describe, expect, it } from 'vitest';
import type { StepRunRecord } from '../../../src-shared/domain/execution';
import { buildGrid, cellKey, elementsDone } from './grid-model';

let nextId = 1;
function run(element: string, step: string, status: StepRunRecord['status'], attempt = 1): StepRunRecord {
  return { id: nextId++, executionId: 1, element, step, kind: step.includes('/') ? 'run' : 'run', attempt, status, exitCode: null, signal: null, error: null, startedAt: 1, finishedAt: 2 };
}

describe('buildGrid', () => {
  it('orders columns by first sight, child paths included, and keeps the last attempt', () => {
    const runs = [run('E1', 'A', 'succeeded'), run('E1', 'F2', 'running'), run('E1', 'F2/B', 'failed'), run('E1', 'F2/B', 'succeeded', 2), run('E2', 'A', 'running')];
    const g = buildGrid(['E1', 'E2'], runs, ['A', 'F2', 'F']);
    expect(g.rows).toEqual(['E1', 'E2']);
    expect(g.columns).toEqual(['A', 'F2', 'F2/B', 'F']);
    const cell = g.cells.get(cellKey('E1', 'F2/B'));
    expect(cell?.attempts.length).toBe(2);
    expect(cell?.latest.status).toBe('succeeded');
  });

  it('adds elements that ran but were not listed', () => {
    const g = buildGrid(['E1'], [run('E9', 'A', 'succeeded')]);
    expect(g.rows).toEqual(['E1', 'E9']);
  });
});

describe('elementsDone', () => {
  it('counts elements whose declared steps all finished', () => {
    const g = buildGrid(['E1', 'E2'], [run('E1', 'A', 'succeeded'), run('E1', 'B', 'skipped'), run('E2', 'A', 'running')], ['A', 'B']);
    expect(elementsDone(g, ['A', 'B'], false)).toBe(1);
  });

  it('after the end, counts elements that stopped early', () => {
    const g = buildGrid(['E1', 'E2', 'E3'], [run('E1', 'A', 'failed'), run('E2', 'A', 'succeeded')], ['A', 'B']);
    expect(elementsDone(g, ['A', 'B'], true)).toBe(2);
  });
});
