import { z } from 'zod';
import { webhookEvents, type WebhookEvent } from './webhook-events';

export { type WebhookEvent };

/** Webhooks: a JSON summary POSTed when an execution ends or waits for an approval. */


/** Only http and https, with a host; the same rule for the CLI and the console. */
const webhookUrlSchema = z
  .string()
  .min(1)
  .max(2000)
  .refine((text) => {
    try {
      const u = new URL(text);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

export const webhookInputSchema = z
  .object({
    url: webhookUrlSchema,
    events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length).default([...webhookEvents]),
    /** Signs each body with HMAC-SHA256; stored encrypted, never read back. */
    secret: z.string().min(1).max(1000).optional(),
  })
  .strict();
export type WebhookInput = z.input<typeof webhookInputSchema>;

/** @public The list the type below is made from. */
export const deliveryStatuses = ['delivering', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** The last delivery of a webhook: what Settings and `webhook list` show. */
export interface WebhookDelivery {
  status: DeliveryStatus;
  event: WebhookEvent;
  executionId: number;
  /** Attempts made so far (1 when the first one answered 2xx). */
  attempts: number;
  /** The receiver's HTTP status of the last attempt; null when it never answered. */
  httpStatus: number | null;
  /** Why the last attempt failed; null once delivered. */
  error: string | null;
  at: number;
}

export interface WebhookView {
  id: number;
  url: string;
  events: WebhookEvent[];
  /** Whether bodies are signed; the secret itself never leaves the process that decrypts it. */
  signed: boolean;
  createdAt: number;
  lastDelivery: WebhookDelivery | null;
}

/** The JSON body a webhook receives. */
export interface WebhookPayload {
  /** `finished` when the execution ended (any status), `approval` when it waits for one. */
  event: 'finished' | 'approval';
  executionId: number;
  flow: string;
  flowVersion: number;
  status: string;
  trigger: string;
  triggerId: string | null;
  scheduleId: number | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  /** Elements with a step whose last attempt failed or timed out. */
  failedElements: string[];
  labels: Record<string, string[]>;
  /** The execution in the console, when this process serves one (without its token). */
  consoleUrl: string | null;
  message: string;
  sentAt: number;
}
