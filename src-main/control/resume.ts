import { FlowdeckError } from '../../src-shared/errors';
import type { FlowDocument } from '../../src-shared/domain/flow';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { EngineDeps } from '../engine/context';
import { continueExecution, startRun, type PreparedRun, type RunRequest, type StartedExecution } from '../engine/executor';
import { ResumeState } from '../engine/resume-state';
import { checkFlowGraph } from '../flows/graph';
import { resolveElements } from '../inventory';
import { adoptExecution, controlRow, type ControlRow } from '../store/control-queries';
import { getLabels } from '../store/execution-queries';
import { currentFlows, getFlow, listTasks } from '../store/flow-queries';
import { loadInventory } from '../store/inventory-queries';

/** Secret params are never stored (only `***`), so a run that had them cannot be started again from the record. */
function storedParams(row: ControlRow, flow: FlowDocument): Record<string, JsonValue> {
  const secret = flow.params.filter((p) => p.secret && row.params[p.name] !== undefined).map((p) => p.name);
  if (secret.length > 0) {
    throw new FlowdeckError(
      'conflict',
      `execution #${row.id} had secret parameter(s) ${secret.join(', ')}, which Flowdeck never stores; start a new run with them instead`,
    );
  }
  return row.params as Record<string, JsonValue>;
}

function rowOf(deps: EngineDeps, id: number): ControlRow {
  const row = controlRow(deps.db, id);
  if (!row) throw new FlowdeckError('not-found', `unknown execution ${id}`);
  return row;
}

function storedFlow(deps: EngineDeps, row: ControlRow): FlowDocument {
  const stored = getFlow(deps.db, row.flow, row.flowVersion);
  if (!stored) throw new FlowdeckError('not-found', `flow "${row.flow}" version ${row.flowVersion} of execution #${row.id} no longer exists`);
  return stored.document;
}

/**
 * Everything needed to go on with execution `id` as it was started: the same flow version,
 * params and elements in the same order (the processing script is not run again: the order
 * already decided stays). Throws before anything is written.
 */
function prepareContinuation(deps: EngineDeps, row: ControlRow): PreparedRun {
  const flow = storedFlow(deps, row);
  const params = storedParams(row, flow);
  const flows = currentFlows(deps.db);
  flows.set(flow.id, { doc: flow, version: row.flowVersion });
  checkFlowGraph(flow, (fid) => flows.get(fid)?.doc);
  const inventory = new Map(resolveElements(loadInventory(deps.db)).map((e) => [e.id, e]));
  const elements = row.elements.map((eid) => {
    const el = inventory.get(eid);
    if (!el) throw new FlowdeckError('not-found', `element "${eid}" of execution #${row.id} is no longer in the inventory`);
    return el;
  });
  return { flow, version: row.flowVersion, params, elements, inventory, flows, tasks: new Map(listTasks(deps.db).map((t) => [t.id, t])) };
}

/** What resume and retry start, and on which elements (the CLI says so before it follows the run). */
export interface Continued {
  started: StartedExecution;
  elements: string[];
}

/** Elements of the execution that did not get through every step of its flow. */
function unfinished(row: ControlRow, flow: FlowDocument, state: ResumeState): string[] {
  return row.elements.filter((el) => !flow.steps.every((step) => state.isDone(el, step.id, step)));
}

/**
 * "Resume": the same execution goes on in this process from where each element stopped:
 * succeeded steps are kept (not run again), the failed step and everything after it run for
 * the failed elements, elements that never started run whole. Also continues an interrupted
 * execution, and a paused one whose process is gone.
 */
export async function resumeExecution(deps: EngineDeps, id: number): Promise<Continued> {
  const row = rowOf(deps, id);
  const prepared = prepareContinuation(deps, row);
  const state = ResumeState.load(deps.db, id);
  if (!adoptExecution(deps.db, id, deps.owner)) {
    throw new FlowdeckError('conflict', `execution #${id} is ${rowOf(deps, id).status}; only a failed, cancelled, interrupted or orphaned paused execution can be resumed here`);
  }
  return { started: continueExecution(deps, id, prepared, state), elements: unfinished(row, prepared.flow, state) };
}

/** "Retry failed": a NEW execution of the flow on the failed and not-run elements only, linked to this one. */
export async function retryFailed(deps: EngineDeps, id: number): Promise<Continued> {
  const row = rowOf(deps, id);
  if (!['failed', 'cancelled', 'interrupted'].includes(row.status)) {
    throw new FlowdeckError('conflict', `execution #${id} is ${row.status}; only a failed, cancelled or interrupted execution can be retried`);
  }
  const flow = storedFlow(deps, row);
  const elements = unfinished(row, flow, ResumeState.load(deps.db, id));
  if (elements.length === 0) throw new FlowdeckError('conflict', `every element of execution #${id} finished; there is nothing to retry`);
  const req: RunRequest = {
    flow: row.flow,
    params: storedParams(row, flow),
    elements,
    trigger: 'retry',
    originId: id,
    labels: getLabels(deps.db, id),
  };
  return { started: await startRun(deps, req), elements };
}
