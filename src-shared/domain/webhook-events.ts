/** What a webhook may announce; apart from the schemas so the CLI can check names without loading them. */
export const webhookEvents = ['finished', 'failed', 'approval'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
