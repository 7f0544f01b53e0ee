import type { Handlers } from '../../../src-shared/ipc/contract';
import type { EngineRuntime } from '../../engine/runtime';
import { deleteTrigger, listTriggers } from '../../store/trigger-queries';
import { addTrigger } from '../../triggers/add-trigger';

export type TriggerHandlers = Pick<Handlers, 'triggers/list' | 'triggers/add' | 'triggers/delete'>;

/** HTTP triggers: listed without tokens; a new one's token is answered once, to the window that added it. */
export function triggerHandlers(rt: EngineRuntime): TriggerHandlers {
  return {
    'triggers/list': async () => listTriggers(rt.db),
    'triggers/add': async (input) => addTrigger(rt.db, input),
    'triggers/delete': async ({ id }) => ({ deleted: deleteTrigger(rt.db, id) }),
  };
}
