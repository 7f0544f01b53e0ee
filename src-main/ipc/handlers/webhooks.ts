import type { Handlers } from '../../../src-shared/ipc/contract';
import type { EngineRuntime } from '../../engine/runtime';
import { deleteWebhook, listWebhooks } from '../../store/webhook-queries';
import { addWebhook } from '../../webhooks/add-webhook';

export type WebhookHandlers = Pick<Handlers, 'webhooks/list' | 'webhooks/add' | 'webhooks/delete'>;

/** Webhooks with their last delivery; a secret is encrypted with this process's cipher and never answered. */
export function webhookHandlers(rt: EngineRuntime): WebhookHandlers {
  return {
    'webhooks/list': async () => listWebhooks(rt.db),
    'webhooks/add': async (input) => addWebhook(rt.db, rt.cipher, input),
    'webhooks/delete': async ({ id }) => ({ deleted: deleteWebhook(rt.db, id) }),
  };
}
