import { useState } from 'react';
import type { TriggerCreated } from '../../../src-shared/domain/triggers';
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
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** `key=value` per line: the trigger's fixed params. */
function parseParams(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf('=');
    if (i <= 0) return `"${line}" is not key=value`;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * HTTP triggers: a flow started by `POST /api/triggers/ID` with the trigger's token. The list
 * never holds a token; a trigger added here shows its token once, until the panel is left.
 */
export function TriggersPanel() {
  const { triggers, flows, loadTriggers } = useHooks();
  const [flow, setFlow] = useState('');
  const [name, setName] = useState('');
  const [params, setParams] = useState('');
  const [allow, setAllow] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<TriggerCreated | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);

  const add = async (): Promise<void> => {
    setError(null);
    setCreated(null);
    const chosen = flow || flows[0];
    if (!chosen) return setError('import or write a flow first');
    const fixed = parseParams(params);
    if (typeof fixed === 'string') return setError(`fixed params: ${fixed}`);
    const r = await bridge.invoke('triggers/add', {
      flow: chosen,
      params: fixed,
      allowParams: allow.split(',').map((s) => s.trim()).filter(Boolean),
      ...(name.trim() ? { name: name.trim() } : {}),
    });
    if (!r.ok) return setError(errorText(r.error));
    setCreated(r.value);
    setName('');
    setParams('');
    setAllow('');
    void loadTriggers();
  };

  const remove = async (id: string): Promise<void> => {
    const r = await bridge.invoke('triggers/delete', { id });
    setConfirm(null);
    if (!r.ok) setError(errorText(r.error));
    if (created?.trigger.id === id) setCreated(null);
    void loadTriggers();
  };

  return (
    <section className={layoutCss.panel} aria-labelledby="triggers-title" data-testid="triggers">
      <h2 id="triggers-title">HTTP triggers</h2>
      <p className={cx(textCss.muted, textCss.small)}>
        <code>POST /api/triggers/ID</code> with <code>Authorization: Bearer TOKEN</code> to <code>flowdeck serve</code> starts the flow. Tokens are kept
        only as a hash: they are shown once, when the trigger is added.
      </p>
      {error && <p className={textCss.errorText} data-testid="trigger-error">{error}</p>}
      <table className={tableCss.table} data-testid="triggers-table">
        <thead>
          <tr>
            <th>Id</th>
            <th>Flow</th>
            <th>Name</th>
            <th>Fixed params</th>
            <th>Callers may set</th>
            <th>Added</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {triggers.map((t) => (
            <tr key={t.id} data-testid="trigger-row" data-trigger={t.id}>
              <td className={cx(textCss.mono, textCss.small)}>{t.id}</td>
              <td>{t.flow}</td>
              <td>{t.name ?? <span className={textCss.muted}>—</span>}</td>
              <td className={cx(textCss.mono, textCss.small)}>
                {Object.entries(t.params)
                  .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join(' ') || <span className={textCss.muted}>—</span>}
              </td>
              <td className={textCss.mono}>{t.allowParams.join(', ') || <span className={textCss.muted}>none</span>}</td>
              <td>{formatDateTime(t.createdAt)}</td>
              <td data-testid="trigger-last-used">
                {t.lastUsedAt === null ? <span className={textCss.muted}>never</span> : `${formatDateTime(t.lastUsedAt)} (#${t.lastExecutionId ?? '?'})`}
              </td>
              <td className={tableCss.rowActions}>
                <ConfirmAction
                  verb="Remove"
                  asking={confirm === t.id}
                  onAsk={() => setConfirm(t.id)}
                  onKeep={() => setConfirm(null)}
                  onConfirm={() => void remove(t.id)}
                  testId="trigger-remove"
                />
              </td>
            </tr>
          ))}
          {triggers.length === 0 && (
            <EmptyRow columns={8}>
              No triggers: add one below, or with <code>flowdeck trigger add FLOW</code>.
            </EmptyRow>
          )}
        </tbody>
      </table>
      {created && (
        <div className={settingsCss.tokenBox} data-testid="trigger-created">
          <p>
            Trigger <span className={textCss.mono}>{created.trigger.id}</span> added for {created.trigger.flow}. Copy its token now: it is not shown again.
          </p>
          <p>
            Path: <code data-testid="trigger-created-path">{created.trigger.path}</code>
          </p>
          <p>
            Token: <code className={settingsCss.token} data-testid="trigger-created-token">{created.token}</code>
          </p>
          <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <form
        className={settingsCss.credentialForm}
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
        data-testid="trigger-form"
      >
        <h3>Add a trigger</h3>
        <div className={formCss.grid}>
          <label className={formCss.field}>
            <span>Flow</span>
            <select value={flow || flows[0] || ''} onChange={(e) => setFlow(e.target.value)} data-testid="trigger-flow">
              {flows.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <label className={formCss.field}>
            <span>Name (optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="trigger-name" />
          </label>
          <label className={formCss.field}>
            <span>Fixed params (key=value per line)</span>
            <textarea rows={2} value={params} onChange={(e) => setParams(e.target.value)} spellCheck={false} data-testid="trigger-params" />
          </label>
          <label className={formCss.field}>
            <span>Params callers may set (comma-separated)</span>
            <input value={allow} onChange={(e) => setAllow(e.target.value)} spellCheck={false} data-testid="trigger-allow" />
          </label>
        </div>
        <div className={formCss.actions}>
          <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} data-testid="trigger-add">
            Add trigger
          </button>
        </div>
      </form>
    </section>
  );
}
