import { FlowdeckError } from '../../src-shared/errors';
import type { FlowDocument } from '../../src-shared/domain/flow';
import type { Db } from '../store/db';
import { currentFlows, getTask, saveFlow, saveTask } from '../store/flow-queries';
import { checkFlowGraph } from './graph';
import type { ParsedFlowFile } from './parse';

export interface SaveReport {
  flows: Array<{ id: string; version: number; changed: boolean }>;
  tasks: string[];
}

/**
 * Checks a set of flows and tasks together (they may call each other) and saves all of
 * them in one transaction, or nothing: an unknown child flow or task, or a cycle, is refused.
 */
export function checkFlowSet(db: Db, files: readonly ParsedFlowFile[]): void {
  const docs = new Map([...currentFlows(db)].map(([id, f]) => [id, f.doc]));
  const incoming: FlowDocument[] = files.flatMap((f) => f.flows.map((x) => x.doc));
  for (const d of incoming) docs.set(d.id, d);
  const taskIds = new Set(files.flatMap((f) => f.tasks.map((t) => t.id)));
  for (const doc of incoming) {
    checkFlowGraph(doc, (id) => docs.get(id));
    for (const s of doc.steps) {
      if ('task' in s && !taskIds.has(s.task) && !getTask(db, s.task)) {
        throw new FlowdeckError('not-found', `flow "${doc.id}" step "${s.id}" uses unknown task "${s.task}"`);
      }
    }
  }
}

export function saveFlowSet(db: Db, files: readonly ParsedFlowFile[]): SaveReport {
  checkFlowSet(db, files);
  return db.transaction(() => {
    const report: SaveReport = { flows: [], tasks: [] };
    for (const f of files) {
      for (const t of f.tasks) {
        saveTask(db, t);
        report.tasks.push(t.id);
      }
    }
    for (const f of files) {
      for (const { doc, source } of f.flows) report.flows.push({ id: doc.id, ...saveFlow(db, doc, source) });
    }
    return report;
  })();
}
