import { useId } from 'react';
import { labelPairs, parseLabels } from '../../format/labels';
import { cx } from '../../ui/class-names';
import chipCss from '../../ui/chip.module.css';
import formCss from '../../ui/form.module.css';
import runCss from './run-dialog.module.css';
import textCss from '../../ui/text.module.css';

/** The run dialog's labels field: free text, read back as chips so a typo shows before Start. */
export function LabelsInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const hintId = useId();
  const parsed = parseLabels(value);
  return (
    <div className={cx(formCss.field, runCss.labelsInput)}>
      <label htmlFor={`${hintId}-input`}>Labels</label>
      <input
        id={`${hintId}-input`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="ticket=OPS-12 env=prod"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={hintId}
        aria-invalid={!parsed.ok}
        data-testid="run-labels"
      />
      <span id={hintId} className={cx(textCss.small, runCss.hint)}>
        {!parsed.ok ? (
          <span className={textCss.errorText} data-testid="run-labels-problem">
            {parsed.problem}
          </span>
        ) : labelPairs(parsed.labels).length === 0 ? (
          <span className={textCss.muted}>key=value, separated by spaces or commas; a key given twice makes a list</span>
        ) : (
          <span className={chipCss.list} data-testid="run-labels-preview">
            {labelPairs(parsed.labels).map(({ key, value: v }) => (
              <span key={`${key}=${v}`} className={cx(chipCss.chip, chipCss.label)} data-testid="run-label-chip">
                {key}={v}
              </span>
            ))}
          </span>
        )}
      </span>
    </div>
  );
}
