import type { Handlers } from '../../../src-shared/ipc/contract';
import { runnersView } from '../../transport/runner/console-view';

export type RunnerHandlers = Pick<Handlers, 'runners/list'>;

/** The Runners page: every zone's runners as Redis knows them (FLOWDECK_REDIS_URL), asked afresh each time. */
export function runnerHandlers(env: NodeJS.ProcessEnv = process.env): RunnerHandlers {
  return {
    'runners/list': () => runnersView(env),
  };
}
