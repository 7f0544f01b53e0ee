import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { executionReport, getExecution, listExecutions, listStepRuns, type ExecutionQuery } from '../../store/execution-queries';
import { logPage } from '../../store/log-page-queries';
import type { EngineRuntime } from '../../engine/runtime';
import type { LiveExecutions } from '../../engine/live-executions';
import { answerApproval, requestCancel, requestPause, requestResume } from '../../control/requests';
import { resumeExecution, retryFailed } from '../../control/resume';
import { listApprovals } from '../../store/control-queries';
import { listBatchOrders } from '../../store/batch-order-queries';

export type ExecutionHandlers = Pick<
  Handlers,
  'executions/list' | 'executions/get' | 'executions/cancel' | 'executions/log' | 'executions/pause' | 'executions/resume' | 'executions/retry' | 'executions/approve'
>;

export function executionHandlers(rt: EngineRuntime, live: LiveExecutions): ExecutionHandlers {
  return {
    'executions/list': async (req) => {
      const q: ExecutionQuery = {};
      if (req.flow !== undefined) q.flow = req.flow;
      if (req.status !== undefined) q.status = req.status;
      if (req.element !== undefined) q.element = req.element;
      if (req.label !== undefined) q.label = req.label.value !== undefined ? { key: req.label.key, value: req.label.value } : { key: req.label.key };
      if (req.since !== undefined) q.since = req.since;
      if (req.until !== undefined) q.until = req.until;
      if (req.limit !== undefined) q.limit = req.limit;
      if (req.before !== undefined) q.before = req.before;
      if (req.origin !== undefined) q.origin = req.origin;
      return listExecutions(rt.db, q);
    },

    'executions/get': async ({ id }) => {
      const report = executionReport(rt.db, id);
      if (!report) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      const summary = getExecution(rt.db, id);
      if (!summary) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      return { ...report, summary, stepRuns: listStepRuns(rt.db, id), approvals: listApprovals(rt.db, id), batchOrders: listBatchOrders(rt.db, id) };
    },

    /**
     * Cancels an execution this process runs. One run by another process (a CLI `run`, another
     * console) is not reachable from here yet: `{ cancelled: false }`.
     */
    'executions/cancel': async ({ id, reason }) => {
      // This process's own runs stop at once; any other process's within a tick of its control hub.
      live.cancel(id, reason ?? 'cancelled by the operator');
      return { status: requestCancel(rt.deps, id, reason ?? 'cancelled by the operator') };
    },

    'executions/pause': async ({ id }) => ({ status: requestPause(rt.deps, id) }),

    /** Lifts a pause; an ended (or orphaned) execution is adopted and continued by this process. */
    'executions/resume': async ({ id }) => {
      const asked = requestResume(rt.deps, id);
      if (asked.lifted) return { status: asked.status };
      const { started } = await resumeExecution(rt.deps, id);
      live.add(started);
      return { status: getExecution(rt.db, id)?.status ?? 'queued' };
    },

    'executions/retry': async ({ id }) => {
      const { started } = await retryFailed(rt.deps, id);
      live.add(started);
      return { id: started.id };
    },

    'executions/approve': async ({ id, decision, comment }) => {
      const answer = answerApproval(rt.deps, id, decision, comment);
      rt.deps.events.emit('approval', answer);
      return answer;
    },

    'executions/log': async ({ stepRunId, after, limit }) => {
      const page = logPage(rt.db, stepRunId, after, limit);
      if (!page) throw new FlowdeckError('not-found', `unknown step run ${stepRunId}`);
      return page;
    },
  };
}
