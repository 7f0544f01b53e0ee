import { useState } from 'react';
import { kindOf, type StepObject } from './flow-yaml';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';
import visualCss from './visual-view.module.css';

/** Edits a step's common fields and its kind's main value; the result is written into the YAML. */
export function StepEditForm({ step, onApply, onCancel }: { step: StepObject; onApply: (patch: Record<string, unknown>) => void; onCancel: () => void }) {
  const kind = kindOf(step);
  const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const [id, setId] = useState(str(step.id));
  const [name, setName] = useState(str(step.name));
  const [main, setMain] = useState(kind === 'http' && typeof step.http !== 'string' ? '' : str(step[kind]));
  const [when, setWhen] = useState(str(step.when));
  const [timeout, setTimeoutValue] = useState(str(step.timeout));
  const [problem, setProblem] = useState<string | null>(null);
  const editableMain = kind !== '?' && !(kind === 'http' && typeof step.http !== 'string');

  const apply = (): void => {
    const patch: Record<string, unknown> = { id: id.trim(), name: name.trim(), when: when.trim() };
    if (timeout.trim() === '') patch.timeout = undefined;
    else if (!Number.isFinite(Number(timeout)) || Number(timeout) <= 0) return setProblem('timeout must be a positive number of seconds');
    else patch.timeout = Number(timeout);
    if (editableMain) {
      if (kind === 'sleep') {
        if (!Number.isFinite(Number(main)) || Number(main) < 0) return setProblem('sleep must be a number of seconds');
        patch.sleep = Number(main);
      } else if (main.trim() === '') return setProblem(`${kind} needs a value`);
      else patch[kind] = main;
    }
    onApply(patch);
  };

  const multiline = kind === 'run' || kind === 'script';
  return (
    <form
      className={visualCss.stepEdit}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      data-testid="step-edit-form"
    >
      <div className={formCss.grid}>
        <label className={formCss.field}>
          <span>Id</span>
          <input value={id} onChange={(e) => setId(e.target.value)} spellCheck={false} />
        </label>
        <label className={formCss.field}>
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className={formCss.field}>
          <span>When</span>
          <input value={when} onChange={(e) => setWhen(e.target.value)} placeholder="current === last" spellCheck={false} className={textCss.mono} />
        </label>
        <label className={formCss.field}>
          <span>Timeout (s)</span>
          <input value={timeout} onChange={(e) => setTimeoutValue(e.target.value)} type="number" min={1} />
        </label>
      </div>
      {editableMain && (
        <label className={formCss.field}>
          <span>{kind}</span>
          {multiline ? (
            <textarea className={textCss.mono} rows={Math.min(12, Math.max(2, main.split('\n').length))} value={main} onChange={(e) => setMain(e.target.value)} spellCheck={false} />
          ) : (
            <input className={textCss.mono} value={main} onChange={(e) => setMain(e.target.value)} spellCheck={false} />
          )}
        </label>
      )}
      {problem && <p className={textCss.errorText}>{problem}</p>}
      <div className={formCss.actions}>
        <span className={textCss.spacer} />
        <button type="button" className={buttonCss.btn} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} data-testid="step-edit-apply">
          Apply to YAML
        </button>
      </div>
    </form>
  );
}
