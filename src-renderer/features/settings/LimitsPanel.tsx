import { useEffect, useState } from 'react';
import type { SettingsView } from '../../../src-shared/ipc/contract';
import { useSettings } from './settings-store';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

interface Form {
  keepAll: boolean;
  days: string;
  max: string;
  /** The queue cap; empty: no limit. */
  queued: string;
}

const formOf = (v: SettingsView): Form => ({
  keepAll: v.retentionDays === null,
  days: v.retentionDays === null ? '30' : String(v.retentionDays),
  max: String(v.maxConcurrentExecutions),
  queued: v.maxQueuedExecutions === null ? '' : String(v.maxQueuedExecutions),
});

/** A whole number in [min, max], or why not. */
function wholeIn(text: string, min: number, max: number): { value: number } | { problem: string } {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) return { problem: 'must be a whole number' };
  if (n < min || n > max) return { problem: `must be between ${min} and ${max}` };
  return { value: n };
}

/**
 * Retention (executions and their logs older than N days are removed, or everything is kept),
 * the limit on executions running at once (the rest wait in the queue) and on those waiting.
 */
export function LimitsPanel() {
  const view = useSettings((s) => s.view);
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  // The form starts from what is stored, and again after each save.
  useEffect(() => {
    if (view) setForm(formOf(view));
  }, [view]);

  if (!form || !view) {
    return (
      <section className={layoutCss.panel} aria-label="Retention and limits">
        <p className={textCss.muted}>loading…</p>
      </section>
    );
  }

  const days = form.keepAll ? null : wholeIn(form.days, 1, 3650);
  const max = wholeIn(form.max, 1, 1000);
  const daysProblem = days !== null && 'problem' in days ? days.problem : null;
  const maxProblem = 'problem' in max ? max.problem : null;
  const queued = form.queued.trim() === '' ? null : wholeIn(form.queued, 0, 100_000);
  const queuedProblem = queued !== null && 'problem' in queued ? queued.problem : null;
  const dirty =
    form.keepAll !== (view.retentionDays === null) ||
    (!form.keepAll && form.days !== String(view.retentionDays)) ||
    form.max !== String(view.maxConcurrentExecutions) ||
    form.queued.trim() !== (view.maxQueuedExecutions === null ? '' : String(view.maxQueuedExecutions));

  const edit = (change: Partial<Form>): void => {
    setForm({ ...form, ...change });
    setSaved(false);
    setError(null);
  };

  const save = async (): Promise<void> => {
    if (daysProblem || maxProblem || queuedProblem || !('value' in max)) return;
    setBusy(true);
    const r = await useSettings.getState().saveView({
      retentionDays: days === null ? null : 'value' in days ? days.value : null,
      maxConcurrentExecutions: max.value,
      maxQueuedExecutions: queued === null ? null : 'value' in queued ? queued.value : null,
    });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else setSaved(true);
  };

  return (
    <section className={layoutCss.panel} aria-labelledby="limits-title" data-testid="limits">
      <h2 id="limits-title">Retention and limits</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className={cx(formCss.field, formCss.pickList)}>
          <legend>Keep executions and their logs</legend>
          <label className={formCss.fieldCheck}>
            <input type="radio" name="retention" checked={form.keepAll} onChange={() => edit({ keepAll: true })} data-testid="retention-keep-all" />
            <span>forever</span>
          </label>
          <label className={formCss.fieldCheck}>
            <input type="radio" name="retention" checked={!form.keepAll} onChange={() => edit({ keepAll: false })} data-testid="retention-limited" />
            <span>for</span>
            <input
              type="number"
              min={1}
              max={3650}
              className={formCss.narrow}
              value={form.days}
              disabled={form.keepAll}
              onChange={(e) => edit({ days: e.target.value })}
              aria-label="Retention in days"
              aria-invalid={daysProblem ? true : undefined}
              data-testid="retention-days"
            />
            <span>days</span>
          </label>
          {daysProblem && (
            <small className={textCss.errorText} data-testid="retention-days-error">
              {daysProblem}
            </small>
          )}
          <small className={textCss.muted}>Finished executions older than this are removed when you save, then every hour; running, paused or queued ones never are.</small>
        </fieldset>
        <label className={formCss.field}>
          <span>Executions running at once (the others wait in the queue, by priority then arrival)</span>
          <input
            type="number"
            min={1}
            max={1000}
            className={formCss.narrow}
            value={form.max}
            onChange={(e) => edit({ max: e.target.value })}
            aria-invalid={maxProblem ? true : undefined}
            data-testid="max-concurrent"
          />
          {maxProblem && (
            <small className={textCss.errorText} data-testid="max-concurrent-error">
              {maxProblem}
            </small>
          )}
        </label>
        <label className={formCss.field}>
          <span>Executions waiting in the queue at most (one more is refused at once; empty: no limit)</span>
          <input
            type="number"
            min={0}
            max={100000}
            className={formCss.narrow}
            value={form.queued}
            placeholder="no limit"
            onChange={(e) => edit({ queued: e.target.value })}
            aria-invalid={queuedProblem ? true : undefined}
            data-testid="max-queued"
          />
          {queuedProblem && (
            <small className={textCss.errorText} data-testid="max-queued-error">
              {queuedProblem}
            </small>
          )}
        </label>
        {error && (
          <p className={textCss.errorText} role="alert" data-testid="limits-error">
            {error}
          </p>
        )}
        <div className={formCss.actions}>
          {saved && !dirty && (
            <span className={textCss.okText} role="status" data-testid="limits-saved">
              saved
            </span>
          )}
          <span className={textCss.spacer} />
          <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy || !dirty || daysProblem !== null || maxProblem !== null || queuedProblem !== null} data-testid="limits-save">
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </section>
  );
}
