import { FlowdeckError } from '../../src-shared/errors';
import { webhookInputSchema, type WebhookInput, type WebhookView } from '../../src-shared/domain/webhooks';
import type { SecretCipher } from '../secrets/cipher';
import type { Db } from '../store/db';
import { insertWebhook } from '../store/webhook-queries';

/** Checks and stores a webhook; its secret (if any) encrypted as credential secrets are. */
export function addWebhook(db: Db, cipher: SecretCipher, input: WebhookInput): WebhookView {
  const parsed = webhookInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlowdeckError('invalid-input', `${issue?.path.join('.') || 'webhook'}: ${issue?.message ?? 'invalid'}`);
  }
  const { url, events, secret } = parsed.data;
  const blob = secret === undefined ? null : cipher.encrypt(Buffer.from(secret, 'utf8'));
  return insertWebhook(db, url, [...new Set(events)], blob);
}
