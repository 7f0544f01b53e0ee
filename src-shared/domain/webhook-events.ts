/** What a webhook may announce; apart from the schemas so the CLI can check names without loading them. */
export const webhookEvents = ['finished', 'failed', 'approval'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** Whether a webhook that asked for `events` is told of this one (`failed` is any ending but success). */
export function webhookMatches(events: readonly WebhookEvent[], event: 'finished' | 'approval', status: string): boolean {
  if (event === 'approval') return events.includes('approval');
  return events.includes('finished') || (events.includes('failed') && status !== 'succeeded');
}
