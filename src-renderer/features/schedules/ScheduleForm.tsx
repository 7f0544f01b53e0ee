import { useMemo, useState } from 'react';
import { missedPolicies, overlapPolicies, weekDays, type ScheduleView } from '../../../src-shared/domain/schedule';
import { DAY_LABELS, fieldOfProblem, formOf, inputOf, whenOf, type FormField, type ScheduleForm as Form } from './schedule-input';
import { useSchedulePreview } from './use-preview';
import { isKnownZone, localZone } from './zones';
import { useSchedules } from './schedules-store';
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { NextRuns } from './NextRuns';
import { ZonePicker } from './ZonePicker';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import flowsCss from '../flows/flow-editor.module.css';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import schedulesCss from './schedules.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  /** The stored schedule, or null for a new one. */
  schedule: ScheduleView | null;
  /** Flows to pick from; with `fixedFlow` the form is for that flow only. */
  flows: string[];
  fixedFlow?: string;
  /** The flow a new schedule starts with (the page's flow filter), when not fixed. */
  defaultFlow?: string | undefined;
  onSaved: (view: ScheduleView) => void;
  onClose: () => void;
}

const OVERLAP_TEXT: Record<(typeof overlapPolicies)[number], string> = {
  skip: 'skip this run (default)',
  queue: 'queue it after the running one',
  allow: 'start it anyway',
};

const MISSED_TEXT: Record<(typeof missedPolicies)[number], string> = {
  skip: 'skip them (default)',
  'run-once': 'run once at the next start',
};

function FieldError({ field, problem }: { field: FormField; problem: string | undefined }) {
  if (!problem) return null;
  return (
    <small className={textCss.errorText} data-testid={`schedule-${field}-error`}>
      {problem}
    </small>
  );
}

/**
 * A schedule: days of the week and a time, or a cron expression; its zone, params, enabled flag
 * and overlap and missed-run policies. The schedule in words and its next runs are asked of main
 * while the operator types, and a problem shows at the field it is about.
 */
export function ScheduleForm({ schedule, flows, fixedFlow, defaultFlow, onSaved, onClose }: Props) {
  const [form, setForm] = useState<Form>(() => formOf(schedule, { flow: fixedFlow ?? defaultFlow ?? flows[0] ?? '', zone: localZone() }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isNew = schedule === null;

  const checked = useMemo(() => inputOf(form), [form]);
  const when = useMemo(() => whenOf(form), [form]);
  const zoneOk = isKnownZone(form.timezone.trim());
  const runWith = form.flow && form.params.ok ? { flow: form.flow, params: form.params.value } : undefined;
  const preview = useSchedulePreview(when.ok && zoneOk ? when.when : null, form.timezone.trim(), 5, runWith);

  const problems: Partial<Record<FormField, string>> = checked.ok ? {} : { ...checked.problems };
  if (preview.state === 'problem') problems[fieldOfProblem(preview.message, form.kind)] ??= preview.message;

  const set = <K extends keyof Form>(key: K, value: Form[K]): void => {
    setForm((f) => ({ ...f, [key]: value }));
    setError(null);
  };

  const save = async (): Promise<void> => {
    if (!checked.ok || preview.state === 'problem') return;
    setBusy(true);
    setError(null);
    const r = await useSchedules.getState().save(schedule?.id ?? null, checked.input);
    setBusy(false);
    if (!r.ok) setError(r.error);
    else onSaved(r.view);
  };

  const flowChoices = form.flow && !flows.includes(form.flow) ? [form.flow, ...flows] : flows;

  return (
    <form
      className={layoutCss.panel}
      data-testid="schedule-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className={layoutCss.panelHead}>
        <h2>{isNew ? 'New schedule' : `Schedule #${schedule.id}`}</h2>
        <button type="button" className={buttonCss.icon} aria-label="Close schedule form" onClick={onClose}>
          ×
        </button>
      </div>
      <div className={formCss.grid}>
        {fixedFlow === undefined && (
          <label className={formCss.field}>
            <span>Flow</span>
            <select value={form.flow} onChange={(e) => set('flow', e.target.value)} aria-invalid={problems.flow ? true : undefined} data-testid="schedule-flow">
              {form.flow === '' && (
                <option value="" disabled>
                  {flowChoices.length === 0 ? 'no flows yet' : 'pick a flow…'}
                </option>
              )}
              {flowChoices.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <FieldError field="flow" problem={problems.flow} />
          </label>
        )}
        <label className={formCss.field}>
          <span>Name (optional)</span>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. nightly vacuum" data-testid="schedule-name" />
        </label>
      </div>

      <fieldset className={cx(formCss.field, formCss.pickList)}>
        <legend>When</legend>
        <div className={formCss.row}>
          <label className={formCss.fieldCheck}>
            <input type="radio" name="schedule-kind" checked={form.kind === 'days'} onChange={() => set('kind', 'days')} data-testid="schedule-kind-days" />
            <span>days and time</span>
          </label>
          <label className={formCss.fieldCheck}>
            <input type="radio" name="schedule-kind" checked={form.kind === 'cron'} onChange={() => set('kind', 'cron')} data-testid="schedule-kind-cron" />
            <span>cron expression</span>
          </label>
        </div>
        {form.kind === 'days' ? (
          <>
            <div className={cx(formCss.row, formCss.pickList)} role="group" aria-label="Days of the week">
              {weekDays.map((d) => (
                <label key={d} className={formCss.fieldCheck}>
                  <input
                    type="checkbox"
                    checked={form.days.includes(d)}
                    onChange={(e) => set('days', e.target.checked ? [...form.days, d] : form.days.filter((x) => x !== d))}
                    data-testid={`schedule-day-${d}`}
                  />
                  <span>{DAY_LABELS[d]}</span>
                </label>
              ))}
            </div>
            <FieldError field="days" problem={problems.days} />
            <label className={formCss.field}>
              <span>At (HH:MM, 24-hour, in the zone below)</span>
              {/* Text, not type=time: that one shows AM/PM in some locales, and operators write 24-hour times. */}
              <input
                value={form.at}
                placeholder="02:30"
                inputMode="numeric"
                maxLength={5}
                spellCheck={false}
                onChange={(e) => set('at', e.target.value)}
                className={formCss.narrow}
                aria-invalid={problems.at ? true : undefined}
                data-testid="schedule-at"
              />
            </label>
            <FieldError field="at" problem={problems.at} />
          </>
        ) : (
          <label className={formCss.field}>
            <span>Cron (minute hour day-of-month month day-of-week; a 6th field in front for seconds)</span>
            <input
              className={textCss.mono}
              value={form.cron}
              spellCheck={false}
              onChange={(e) => set('cron', e.target.value)}
              placeholder="30 2 * * 1-5"
              aria-invalid={problems.cron ? true : undefined}
              data-testid="schedule-cron"
            />
            <FieldError field="cron" problem={problems.cron} />
          </label>
        )}
      </fieldset>

      <ZonePicker value={form.timezone} onChange={(z) => set('timezone', z)} problem={problems.timezone} testId="schedule-timezone" />

      <section className={schedulesCss.schedulePreview} aria-label="Preview" aria-live="polite" data-testid="schedule-preview" data-state={preview.state}>
        {preview.state === 'checking' && <p className={textCss.muted}>working out the next runs…</p>}
        {preview.state === 'ok' && (
          <>
            <p data-testid="schedule-preview-description">
              <strong>{preview.description}</strong> <span className={cx(textCss.muted, textCss.mono, textCss.small)}>cron {preview.cron}</span>
            </p>
            <NextRuns runs={preview.nextRuns} zone={form.timezone.trim()} testId="schedule-preview-runs" />
            {preview.warning && (
              <p className={flowsCss.problem} role="alert" data-testid="schedule-preview-warning">
                {preview.warning}
              </p>
            )}
          </>
        )}
        {preview.state === 'problem' && <p className={textCss.muted}>no preview: see the problem above</p>}
      </section>

      <KeyValueEditor
        initial={schedule?.params ?? {}}
        onChange={(r) => set('params', r)}
        label="Params (override the flow's defaults)"
        testId="schedule-params"
        problem={problems.params ?? null}
      />

      <div className={formCss.grid}>
        <label className={formCss.field}>
          <span>If the previous run is still going</span>
          <select value={form.overlap} onChange={(e) => set('overlap', e.target.value as Form['overlap'])} data-testid="schedule-overlap">
            {overlapPolicies.map((p) => (
              <option key={p} value={p}>
                {OVERLAP_TEXT[p]}
              </option>
            ))}
          </select>
        </label>
        <label className={formCss.field}>
          <span>Runs missed while the app was closed</span>
          <select value={form.missed} onChange={(e) => set('missed', e.target.value as Form['missed'])} data-testid="schedule-missed">
            {missedPolicies.map((p) => (
              <option key={p} value={p}>
                {MISSED_TEXT[p]}
              </option>
            ))}
          </select>
        </label>
        {form.missed === 'run-once' && (
          <label className={formCss.field}>
            <span>…if missed by at most (minutes)</span>
            <input
              type="number"
              min={1}
              className={formCss.narrow}
              value={form.missedWindow}
              onChange={(e) => set('missedWindow', e.target.value)}
              aria-invalid={problems.missedWindow ? true : undefined}
              data-testid="schedule-missed-window"
            />
            <FieldError field="missedWindow" problem={problems.missedWindow} />
          </label>
        )}
        <label className={cx(formCss.field, formCss.fieldCheck)}>
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="schedule-enabled" />
          <span>Enabled</span>
        </label>
      </div>

      {error && (
        <p className={textCss.errorText} role="alert" data-testid="schedule-error">
          {error}
        </p>
      )}
      <div className={formCss.actions}>
        <span className={textCss.spacer} />
        <button type="button" className={buttonCss.btn} onClick={onClose} data-testid="schedule-cancel">
          Cancel
        </button>
        <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy || !checked.ok || preview.state === 'problem'} data-testid="schedule-save">
          {busy ? 'Saving…' : isNew ? 'Add schedule' : 'Save schedule'}
        </button>
      </div>
    </form>
  );
}
