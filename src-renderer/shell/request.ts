import type { Channel, RequestOf, Responses } from '../../src-shared/ipc/contract';
import { bridge } from '../bridge';
import { errorText } from '../format/error';
import { reportError } from './errors';

/**
 * A request whose failure nobody shows inline: the value, or null after putting
 * `what: error` in the error banner.
 */
export async function fetchOrReport<C extends Channel>(channel: C, request: RequestOf<C>, what: string): Promise<Responses[C] | null> {
  const result = await bridge.invoke(channel, request);
  if (result.ok) return result.value;
  reportError(`${what}: ${errorText(result.error)}`);
  return null;
}
