import type { StepRunRecord, StepRunStatus } from '../../../src-shared/domain/execution';

/**
 * The element x step grid of one execution: rows are elements (in the execution's order, then
 * any other element a step ran on), columns are step paths in the order they were first seen
 * (child paths such as `F2/B` included), each cell the attempts of that step on that element.
 */

export interface Cell {
  /** Oldest attempt first. */
  attempts: StepRunRecord[];
  latest: StepRunRecord;
}

export interface GridModel {
  rows: string[];
  columns: string[];
  cells: Map<string, Cell>;
}

export const cellKey = (element: string, step: string): string => `${element}\u0000${step}`;

const activeStatuses: readonly StepRunStatus[] = ['pending', 'running'];

/** `declared`: the flow's own step ids, so columns exist before their first run. */
export function buildGrid(elements: string[], runs: Iterable<StepRunRecord>, declared: string[] = []): GridModel {
  const sorted = [...runs].sort((a, b) => a.id - b.id);
  const rows = [...elements];
  const rowSet = new Set(rows);
  const columns: string[] = [];
  const colSet = new Set<string>();
  const cells = new Map<string, Cell>();
  for (const run of sorted) {
    if (!rowSet.has(run.element)) {
      rowSet.add(run.element);
      rows.push(run.element);
    }
    if (!colSet.has(run.step)) {
      colSet.add(run.step);
      columns.push(run.step);
    }
    const key = cellKey(run.element, run.step);
    const cell = cells.get(key);
    if (!cell) cells.set(key, { attempts: [run], latest: run });
    else {
      cell.attempts.push(run);
      if (run.attempt > cell.latest.attempt || (run.attempt === cell.latest.attempt && run.id > cell.latest.id)) cell.latest = run;
    }
  }
  for (const cell of cells.values()) cell.attempts.sort((a, b) => a.attempt - b.attempt || a.id - b.id);
  // Declared steps not seen yet go where they belong: after the declared step before them.
  declared.forEach((step, i) => {
    if (colSet.has(step)) return;
    colSet.add(step);
    const prev = declared.slice(0, i).reverse().find((s) => columns.includes(s));
    if (prev === undefined) {
      columns.splice(0, 0, step);
      return;
    }
    // After the previous declared step and its child paths (`prev/...`).
    let at = columns.indexOf(prev) + 1;
    while (at < columns.length && (columns[at] as string).startsWith(`${prev}/`)) at++;
    columns.splice(at, 0, step);
  });
  return { rows, columns, cells };
}

const finished = (s: StepRunStatus): boolean => !activeStatuses.includes(s);

/**
 * Elements done: every declared step has a finished last attempt on it; once the execution has
 * ended, also any element that ran something and has nothing active (it stopped early).
 */
export function elementsDone(grid: GridModel, declared: string[], executionEnded: boolean): number {
  let done = 0;
  for (const element of grid.rows) {
    const cells = grid.columns.map((c) => grid.cells.get(cellKey(element, c))).filter((c): c is Cell => c !== undefined);
    const allDeclared =
      declared.length > 0 &&
      declared.every((step) => {
        const cell = grid.cells.get(cellKey(element, step));
        return cell !== undefined && finished(cell.latest.status);
      });
    const stopped = executionEnded && cells.length > 0 && cells.every((c) => finished(c.latest.status));
    if (allDeclared || stopped) done++;
  }
  return done;
}
