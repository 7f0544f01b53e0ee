import { randomUUID } from 'node:crypto';
import { formatError } from '../../src-shared/errors';
import type { WebhookView } from '../../src-shared/domain/webhooks';
import { webhookMatches, type WebhookEvent } from '../../src-shared/domain/webhook-events';
import type { EngineEvents, Notice } from '../engine/events';
import type { SecretCipher } from '../secrets/cipher';
import type { Db } from '../store/db';
import { executionOwnedBy, listWebhooks, recordDelivery, webhookSecretBlob } from '../store/webhook-queries';
import { webhookPayload } from './payload';
import { SIGNATURE_HEADER, signBody } from './signature';

/** Waits before the 2nd, 3rd... attempt: five attempts over about a minute. */
const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [2_000, 8_000, 20_000, 30_000];
/** One attempt may take this long before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The variable that replaces the delays (comma-separated milliseconds), e.g. for tests. */
const RETRY_DELAYS_ENV = 'FLOWDECK_WEBHOOK_RETRY_MS';

export interface WebhookNotifierOptions {
  db: Db;
  events: EngineEvents;
  /** This process: only executions it runs are announced (another process announces its own). */
  owner: { pid: number; host: string };
  cipher: SecretCipher;
  /** The console's address of an execution, when this process serves one. */
  consoleUrl?: (executionId: number) => string | null;
  retryDelaysMs?: readonly number[];
}

export interface WebhookNotifier {
  /**
   * Waits for the deliveries under way (retries included), at most `timeoutMs`; what is still
   * pending then is recorded as failed, since this process is about to end.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** The delays from the environment, or the defaults; a malformed value is ignored with a warning. */
function retryDelaysFromEnv(env: NodeJS.ProcessEnv = process.env): readonly number[] {
  const text = env[RETRY_DELAYS_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_RETRY_DELAYS_MS;
  const delays = text.split(',').map((s) => Number(s.trim()));
  if (delays.length > 10 || delays.some((d) => !Number.isInteger(d) || d < 0 || d > 600_000)) {
    process.stderr.write(`flowdeck: ${RETRY_DELAYS_ENV} must be up to 10 comma-separated delays in milliseconds; using the defaults\n`);
    return DEFAULT_RETRY_DELAYS_MS;
  }
  return delays;
}

/** Why an attempt failed, in one line that never holds the secret or the body. */
function attemptError(e: unknown): string {
  if (e instanceof Error && e.name === 'TimeoutError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `connection failed: ${cause.code}`;
  return `connection failed: ${cause?.message ?? formatError(e)}`;
}

interface Pending {
  done: Promise<void>;
  /** Records the delivery as failed because the process ends, and stops its retries. */
  abandon(): void;
}

/**
 * Announces the executions this process runs to every matching webhook: a JSON summary POSTed
 * when one ends or waits for an approval, signed with HMAC-SHA256 when the webhook has a secret,
 * retried with back-off in the background. It never blocks or fails a run: deliveries start
 * after the notice and their failures are only recorded (Settings, `webhook list`).
 */
export function startWebhookNotifier(opts: WebhookNotifierOptions): WebhookNotifier & { close(): void } {
  const { db, events, owner, cipher } = opts;
  const delays = opts.retryDelaysMs ?? retryDelaysFromEnv();
  const pending = new Set<Pending>();

  function deliver(hook: WebhookView, event: WebhookEvent, executionId: number, body: string): void {
    let abandoned = false;
    let settled = false;
    let wake: (() => void) | undefined;
    let attempts = 0;
    let last: { httpStatus: number | null; error: string } = { httpStatus: null, error: 'not attempted' };
    const record = (status: 'delivering' | 'delivered' | 'failed', httpStatus: number | null, error: string | null): void => {
      try {
        recordDelivery(db, hook.id, { status, event, executionId, attempts, httpStatus, error, at: Date.now() });
      } catch (e) {
        process.stderr.write(`flowdeck: webhook ${hook.id}: could not record its delivery: ${formatError(e)}\n`);
      }
    };
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const run = async (): Promise<void> => {
      let signature: string | undefined;
      const blob = webhookSecretBlob(db, hook.id);
      if (blob) {
        try {
          signature = signBody(body, cipher.decrypt(blob).toString('utf8'));
        } catch (e) {
          record('failed', null, `cannot decrypt the webhook's secret: ${formatError(e)}`);
          return;
        }
      }
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'Flowdeck-Webhook',
        'X-Flowdeck-Event': event,
        'X-Flowdeck-Delivery': randomUUID(),
        ...(signature ? { [SIGNATURE_HEADER]: signature } : {}),
      };
      for (let i = 0; i <= delays.length && !abandoned; i++) {
        if (i > 0) {
          await sleep(delays[i - 1] as number);
          if (abandoned) return;
        }
        attempts = i + 1;
        try {
          const res = await fetch(hook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
          await res.body?.cancel().catch(() => undefined);
          if (abandoned) return;
          if (res.status >= 200 && res.status < 300) {
            record('delivered', res.status, null);
            return;
          }
          last = { httpStatus: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
        } catch (e) {
          if (abandoned) return;
          last = { httpStatus: null, error: attemptError(e) };
        }
        const final = i === delays.length;
        record(final ? 'failed' : 'delivering', last.httpStatus, final ? `${last.error} (gave up after ${attempts} attempts)` : `${last.error} (will retry)`);
      }
    };

    const entry: Pending = {
      done: run()
        .catch((e: unknown) => void process.stderr.write(`flowdeck: webhook ${hook.id}: ${formatError(e)}\n`))
        .finally(() => (settled = true)),
      abandon() {
        if (abandoned || settled) return;
        abandoned = true;
        wake?.();
        record('failed', last.httpStatus, `not delivered: the process sending it ended (${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${last.error})`);
      },
    };
    pending.add(entry);
    void entry.done.finally(() => pending.delete(entry));
  }

  const onNotice = (notice: Notice): void => {
    try {
      if (!executionOwnedBy(db, notice.executionId, owner)) return;
      const hooks = listWebhooks(db).filter((h) => webhookMatches(h.events, notice.kind, notice.status));
      if (hooks.length === 0) return;
      const payload = webhookPayload(db, notice, opts.consoleUrl?.(notice.executionId) ?? null);
      if (!payload) return;
      const body = JSON.stringify(payload);
      for (const h of hooks) deliver(h, notice.kind, notice.executionId, body);
    } catch (e) {
      process.stderr.write(`flowdeck: webhooks for execution #${notice.executionId}: ${formatError(e)}\n`);
    }
  };
  events.on('notice', onNotice);

  return {
    async drain(timeoutMs) {
      if (pending.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...pending].map((p) => p.done)), deadline]);
      clearTimeout(timer);
      for (const p of [...pending]) p.abandon();
    },
    close() {
      events.off('notice', onNotice);
    },
  };
}
