import type { Handlers } from '../../src-shared/ipc/contract';
import type { EngineRuntime } from '../engine/runtime';
import type { LiveExecutions } from './live-executions';
import { credentialHandlers } from './handlers/credentials';
import { executionHandlers } from './handlers/executions';
import { previewHandlers } from './handlers/flow-preview';
import { flowHandlers } from './handlers/flows';
import { inventoryHandlers } from './handlers/inventory';
import { knownHostHandlers, type HostKeyAnswers } from './handlers/known-hosts';
import { runHandlers } from './handlers/runs';

export type { HostKeyAnswers } from './handlers/known-hosts';

/**
 * Every channel of the contract on the real engine. `satisfies Handlers` (through the return
 * type) makes a channel added to the contract a compile error here until it is implemented.
 * `hostKeys` answers `hostKey/answer`; without it (no one can be asked) every answer is refused.
 */
export function createHandlers(rt: EngineRuntime, live: LiveExecutions, hostKeys?: HostKeyAnswers): Handlers {
  return {
    ...inventoryHandlers(rt),
    ...flowHandlers(rt),
    ...previewHandlers(rt),
    ...runHandlers(rt, live),
    ...executionHandlers(rt, live),
    ...credentialHandlers(rt),
    ...knownHostHandlers(rt, hostKeys),
  };
}
