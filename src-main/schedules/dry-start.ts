import { formatError } from '../../src-shared/errors';
import type { JsonValue } from '../../src-shared/domain/inventory';
import type { EngineDeps } from '../engine/context';
import { prepareRun } from '../engine/executor';

/**
 * Why a scheduled run of `flow` would fail if it started now (targets that match nothing, a
 * missing parameter, a processing script that throws), or undefined when it would start. Plans
 * the run as the scheduler will, writes nothing: the schedule form and `schedule add` warn
 * before the first night, instead of the first night failing.
 */
export async function wouldNotStart(rt: { deps: EngineDeps }, flow: string, params: Record<string, JsonValue>): Promise<string | undefined> {
  try {
    await prepareRun(rt.deps, { flow, params, trigger: 'schedule' });
    return undefined;
  } catch (e) {
    return `a run would fail now: ${formatError(e)}`;
  }
}
