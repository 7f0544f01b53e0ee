import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { executionReport, getExecution, getLabels, listExecutions, listStepRuns, type ExecutionQuery } from '../../store/execution-queries';
import { logPage } from '../../store/log-page-queries';
import type { EngineRuntime } from '../../engine/runtime';
import type { LiveExecutions } from '../live-executions';

export type ExecutionHandlers = Pick<Handlers, 'executions/list' | 'executions/get' | 'executions/cancel' | 'executions/log'>;

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
      return listExecutions(rt.db, q);
    },

    'executions/get': async ({ id }) => {
      const report = executionReport(rt.db, id);
      if (!report) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      return { ...report, labels: getLabels(rt.db, id), stepRuns: listStepRuns(rt.db, id) };
    },

    /**
     * Cancels an execution this process runs. One run by another process (a CLI `run`, another
     * console) is not reachable from here yet: `{ cancelled: false }`.
     */
    'executions/cancel': async ({ id }) => {
      if (live.cancel(id, 'cancelled by the operator')) return { cancelled: true };
      if (!getExecution(rt.db, id)) throw new FlowdeckError('not-found', `unknown execution ${id}`);
      return { cancelled: false };
    },

    'executions/log': async ({ stepRunId, after, limit }) => {
      const page = logPage(rt.db, stepRunId, after, limit);
      if (!page) throw new FlowdeckError('not-found', `unknown step run ${stepRunId}`);
      return page;
    },
  };
}
