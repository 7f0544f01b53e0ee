import { useState } from 'react';
import { webhookEvents, type WebhookEvent } from '../../../src-shared/domain/webhook-events';
import type { WebhookDelivery } from '../../../src-shared/domain/webhooks';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatDateTime } from '../../format/time';
import { useHooks } from './hooks-store';
import { ConfirmAction } from '../../ui/ConfirmAction';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import settingsCss from './settings.module.css';
import statusCss from '../../ui/status.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** A delivery's status on the colour of the execution status it resembles. */
const TONE: Record<WebhookDelivery['status'], string> = { delivered: 'succeeded', delivering: 'running', failed: 'failed' };

function Delivery({ d }: { d: WebhookDelivery | null }) {
  if (!d) return <span className={textCss.muted}>none yet</span>;
  return (
    <>
      <span className={cx(statusCss.badge, statusCss[TONE[d.status]])} data-testid="webhook-delivery-status" data-status={d.status}>
        {d.status}
      </span>{' '}
      <span className={textCss.small}>
        #{d.executionId} {d.event}, {d.attempts} attempt{d.attempts === 1 ? '' : 's'}, {formatDateTime(d.at)}
      </span>
      {d.error && (
        <div className={cx(textCss.errorText, textCss.small)} data-testid="webhook-delivery-error">
          {d.error}
        </div>
      )}
    </>
  );
}

/**
 * Webhooks: a JSON summary POSTed by the process that runs an execution when it ends or waits
 * for an approval. The signing secret goes one way, like a credential's.
 */
export function WebhooksPanel() {
  const { webhooks, loadWebhooks } = useHooks();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...webhookEvents]);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);

  const add = async (): Promise<void> => {
    setError(null);
    const r = await bridge.invoke('webhooks/add', { url: url.trim(), events, ...(secret ? { secret } : {}) });
    // The secret leaves the page whatever the answer.
    setSecret('');
    if (!r.ok) return setError(errorText(r.error));
    setUrl('');
    void loadWebhooks();
  };

  const remove = async (id: number): Promise<void> => {
    const r = await bridge.invoke('webhooks/delete', { id });
    setConfirm(null);
    if (!r.ok) setError(errorText(r.error));
    void loadWebhooks();
  };

  const toggle = (e: WebhookEvent, on: boolean): void => setEvents(webhookEvents.filter((x) => (x === e ? on : events.includes(x))));

  return (
    <section className={layoutCss.panel} aria-labelledby="webhooks-title" data-testid="webhooks">
      <div className={layoutCss.pageHead}>
        <h2 id="webhooks-title">Webhooks</h2>
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => void loadWebhooks()} data-testid="webhooks-refresh">
          Refresh
        </button>
      </div>
      <p className={cx(textCss.muted, textCss.small)}>
        finished: any end; failed: an end other than succeeded; approval: a run waits for an answer. Signed bodies carry{' '}
        <code>X-Flowdeck-Signature: sha256=HMAC</code>.
      </p>
      {error && <p className={textCss.errorText} data-testid="webhook-error">{error}</p>}
      <table className={tableCss.table} data-testid="webhooks-table">
        <thead>
          <tr>
            <th>URL</th>
            <th>Events</th>
            <th>Signed</th>
            <th>Last delivery</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {webhooks.map((h) => (
            <tr key={h.id} data-testid="webhook-row" data-webhook={h.id}>
              <td className={cx(textCss.mono, textCss.small, settingsCss.url)}>{h.url}</td>
              <td>{h.events.join(', ')}</td>
              <td>{h.signed ? 'yes' : 'no'}</td>
              <td>
                <Delivery d={h.lastDelivery} />
              </td>
              <td className={tableCss.rowActions}>
                <ConfirmAction
                  verb="Remove"
                  asking={confirm === h.id}
                  onAsk={() => setConfirm(h.id)}
                  onKeep={() => setConfirm(null)}
                  onConfirm={() => void remove(h.id)}
                  testId="webhook-remove"
                />
              </td>
            </tr>
          ))}
          {webhooks.length === 0 && (
            <EmptyRow columns={5}>
              No webhooks.
            </EmptyRow>
          )}
        </tbody>
      </table>
      <form
        className={settingsCss.credentialForm}
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
        data-testid="webhook-form"
      >
        <h3>Add a webhook</h3>
        <div className={formCss.grid}>
          <label className={formCss.field}>
            <span>URL (http or https)</span>
            <input value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} placeholder="https://ci.example.com/hooks/flowdeck" data-testid="webhook-url" />
          </label>
          <label className={formCss.field}>
            <span>Signing secret (optional)</span>
            <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" data-testid="webhook-secret" />
          </label>
        </div>
        <div className={formCss.row}>
          {webhookEvents.map((e) => (
            <label key={e} className={formCss.fieldCheck}>
              <input type="checkbox" checked={events.includes(e)} onChange={(ev) => toggle(e, ev.target.checked)} data-testid={`webhook-event-${e}`} />
              <span>{e}</span>
            </label>
          ))}
        </div>
        <div className={formCss.actions}>
          <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={url.trim() === '' || events.length === 0} data-testid="webhook-add">
            Add webhook
          </button>
        </div>
      </form>
    </section>
  );
}
