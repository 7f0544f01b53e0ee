import type { Handlers, PlanView } from '../../../src-shared/ipc/contract';
import { prepareRun, type RunRequest } from '../../engine/executor';
import { buildPlan } from '../../engine/plan';
import type { EngineRuntime } from '../../engine/runtime';
import type { LiveExecutions } from '../../engine/live-executions';

export type RunHandlers = Pick<Handlers, 'runs/plan' | 'runs/start'>;

export function runHandlers(rt: EngineRuntime, live: LiveExecutions): RunHandlers {
  return {
    /** The dry run: what would run where, in which order; touches no host and writes nothing. */
    'runs/plan': async ({ flow, params, elements }) => {
      const req: RunRequest = { flow, ...(params ? { params } : {}), ...(elements ? { elements } : {}) };
      const plan = await buildPlan(rt.deps.sandbox, await prepareRun(rt.deps, req));
      const view: PlanView = {
        flow: plan.flow,
        version: plan.version,
        mode: plan.mode,
        elements: plan.elements,
        waves: plan.waves.map((wave) => wave.map((r) => ({ element: r.element, step: r.step, kind: r.kind, ...(r.when !== undefined ? { when: r.when } : {}) }))),
        notes: plan.notes,
      };
      return view;
    },

    /**
     * Starts the execution in this process and answers at once with its id; progress arrives as
     * events. A bad request (unknown flow or element, missing parameter) fails before any row is written.
     */
    'runs/start': async ({ flow, params, elements, labels }) => {
      const req: RunRequest = {
        flow,
        trigger: 'manual',
        ...(params ? { params } : {}),
        ...(elements ? { elements } : {}),
        ...(labels ? { labels } : {}),
      };
      const started = await live.launch(rt.deps, req);
      return { id: started.id };
    },
  };
}
