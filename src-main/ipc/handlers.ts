import type { Handlers } from '../../src-shared/ipc/contract';
import type { EngineRuntime } from '../engine/runtime';
import type { LiveExecutions } from '../engine/live-executions';
import { credentialHandlers } from './handlers/credentials';
import { executionHandlers } from './handlers/executions';
import { previewHandlers } from './handlers/flow-preview';
import { flowHandlers } from './handlers/flows';
import { inventoryHandlers } from './handlers/inventory';
import { inventoryGroupHandlers } from './handlers/inventory-groups';
import { knownHostHandlers, type HostKeyAnswers } from './handlers/known-hosts';
import { shellHandlers } from './handlers/shell';
import type { ShellSessions } from '../shell/sessions';
import { createShellSessions } from '../shell/start';
import { outputGroupHandlers } from './handlers/output-groups';
import { runHandlers } from './handlers/runs';
import { runnerHandlers } from './handlers/runners';
import { scheduleHandlers } from './handlers/schedules';
import { settingsHandlers } from './handlers/settings';
import { triggerHandlers } from './handlers/triggers';
import { webhookHandlers } from './handlers/webhooks';


export interface HandlerOptions {
  /** Answers `hostKey/answer`; without it (no one can be asked) every answer is refused. */
  hostKeys?: HostKeyAnswers;
  /** Applies a changed retention setting at once (the background services' sweep). */
  sweepRetention?: () => number;
  /** The windows' terminals; without it, one whose unknown host keys fail (nobody to ask). */
  shells?: ShellSessions;
}

/**
 * Every channel of the contract on the real engine. `satisfies Handlers` (through the return
 * type) makes a channel added to the contract a compile error here until it is implemented.
 */
export function createHandlers(rt: EngineRuntime, live: LiveExecutions, opts: HandlerOptions = {}): Handlers {
  return {
    ...inventoryHandlers(rt),
    ...inventoryGroupHandlers(rt),
    ...flowHandlers(rt),
    ...previewHandlers(rt),
    ...runHandlers(rt, live),
    ...executionHandlers(rt, live),
    ...outputGroupHandlers(rt),
    ...scheduleHandlers(rt),
    ...settingsHandlers(rt, opts.sweepRetention),
    ...credentialHandlers(rt),
    ...knownHostHandlers(rt, opts.hostKeys),
    ...shellHandlers(rt, opts.shells ?? createShellSessions(rt)),
    ...runnerHandlers(),
    ...triggerHandlers(rt),
    ...webhookHandlers(rt),
  };
}
