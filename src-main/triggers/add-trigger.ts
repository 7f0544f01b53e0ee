import { FlowdeckError } from '../../src-shared/errors';
import { triggerInputSchema, type TriggerCreated, type TriggerInput } from '../../src-shared/domain/triggers';
import type { Db } from '../store/db';
import { getFlow } from '../store/flow-queries';
import { insertTrigger } from '../store/trigger-queries';
import { newTriggerId, newTriggerToken, tokenSha256 } from './token';

/**
 * Adds a trigger for a flow and returns its token, the only time anyone sees it. The flow must
 * exist, and every fixed or allowed parameter must be one it declares: a typo here would
 * otherwise surface as a 400 in someone's pipeline much later.
 */
export function addTrigger(db: Db, input: TriggerInput): TriggerCreated {
  const parsed = triggerInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlowdeckError('invalid-input', `${issue?.path.join('.') || 'trigger'}: ${issue?.message ?? 'invalid'}`);
  }
  const spec = parsed.data;
  const flow = getFlow(db, spec.flow);
  if (!flow) throw new FlowdeckError('not-found', `unknown flow "${spec.flow}"`);
  const declared = flow.document.params.map((p) => p.name);
  const known = declared.join(', ') || 'none';
  for (const name of [...Object.keys(spec.params), ...spec.allowParams]) {
    if (!declared.includes(name)) throw new FlowdeckError('invalid-input', `flow "${spec.flow}" has no parameter "${name}" (declared: ${known})`);
  }
  const token = newTriggerToken();
  const trigger = insertTrigger(db, newTriggerId(), { ...spec, allowParams: [...new Set(spec.allowParams)] }, tokenSha256(token));
  return { trigger, token };
}
