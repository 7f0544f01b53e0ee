import type { FlowDocument, TaskDocument } from '../../src-shared/domain/flow';
import { isFlowCall } from '../../src-shared/domain/step-kind';
import { checkStatically, type CheckedDocument } from '../flows/static-check';
import type { Sandbox } from '../sandbox';

/** Documents already found free of static problems, by content: a flow is checked once per process and version. */
const clean = new Set<string>();
const MAX_REMEMBERED = 5000;

/** The flow, the child flows it may call (at any depth) and the tasks any of them uses. */
function reachable(root: FlowDocument, flows: ReadonlyMap<string, { doc: FlowDocument }>, tasks: ReadonlyMap<string, TaskDocument>): CheckedDocument[] {
  const out: CheckedDocument[] = [];
  const seenFlows = new Set<string>();
  const seenTasks = new Set<string>();
  const queue = [root];
  for (let flow = queue.shift(); flow; flow = queue.shift()) {
    if (seenFlows.has(flow.id)) continue;
    seenFlows.add(flow.id);
    out.push({ kind: 'flow', doc: flow });
    for (const step of flow.steps) {
      if (isFlowCall(step)) {
        const child = flows.get(step.flow);
        if (child) queue.push(child.doc);
      } else if ('task' in step && !seenTasks.has(step.task)) {
        seenTasks.add(step.task);
        const task = tasks.get(step.task);
        if (task) out.push({ kind: 'task', doc: task });
      }
    }
  }
  return out;
}

/**
 * Refuses, before anything is written or run, a run whose flow holds a template or an
 * expression that could never run (a syntax error, an unclosed `{{`, a value where no escaping
 * is safe): such a flow fails in the dry run and at start, not at its third step on host 40.
 */
export async function refuseUnrunnable(
  sandbox: Sandbox,
  root: FlowDocument,
  flows: ReadonlyMap<string, { doc: FlowDocument }>,
  tasks: ReadonlyMap<string, TaskDocument>,
): Promise<void> {
  const docs = reachable(root, flows, tasks).map((d) => ({ d, key: `${d.kind}:${JSON.stringify(d.doc)}` }));
  const unchecked = docs.filter((x) => !clean.has(x.key));
  if (unchecked.length === 0) return;
  const report = await checkStatically(
    sandbox,
    unchecked.map((x) => x.d),
  );
  const first = report.problems[0];
  if (first) throw first;
  if (clean.size + unchecked.length > MAX_REMEMBERED) clean.clear();
  for (const x of unchecked) clean.add(x.key);
}
