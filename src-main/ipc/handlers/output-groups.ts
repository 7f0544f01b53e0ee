import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import type { EngineRuntime } from '../../engine/runtime';
import { groupStepOutput } from '../../store/output-group-queries';

export type OutputGroupHandlers = Pick<Handlers, 'executions/outputGroups'>;

export function outputGroupHandlers(rt: EngineRuntime): OutputGroupHandlers {
  return {
    'executions/outputGroups': async ({ id, step, stream }) => {
      const r = await groupStepOutput(rt.db, id, step, stream);
      if (r.ok) return r.value;
      if (r.reason === 'unknown-execution') throw new FlowdeckError('not-found', `unknown execution ${id}`);
      throw new FlowdeckError('not-found', `execution ${id} has no step "${step}": neither a step of its flow nor a step any element ran`);
    },
  };
}
