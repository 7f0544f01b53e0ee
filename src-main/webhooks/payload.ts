import type { WebhookPayload } from '../../src-shared/domain/webhooks';
import type { Notice } from '../engine/events';
import type { Db } from '../store/db';
import { getExecution } from '../store/execution-queries';
import { failedElements } from '../store/webhook-queries';

/**
 * The summary a webhook receives, read from the database when the notice comes: no params (they
 * may hold values meant for the hosts only), no output.
 */
export function webhookPayload(db: Db, notice: Notice, consoleUrl: string | null, now = Date.now()): WebhookPayload | undefined {
  const x = getExecution(db, notice.executionId);
  if (!x) return undefined;
  return {
    event: notice.kind,
    executionId: x.id,
    flow: x.flow,
    flowVersion: x.flowVersion,
    status: notice.kind === 'finished' ? notice.status : x.status,
    trigger: x.trigger,
    triggerId: x.triggerId,
    scheduleId: x.scheduleId,
    queuedAt: x.queuedAt,
    startedAt: x.startedAt,
    finishedAt: x.finishedAt,
    error: x.error,
    failedElements: failedElements(db, x.id),
    labels: x.labels,
    consoleUrl,
    message: notice.message,
    sentAt: now,
  };
}
