import { useId } from 'react';
import { labelPairs, parseLabels } from '../../format/labels';

/** The run dialog's labels field: free text, read back as chips so a typo shows before Start. */
export function LabelsInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const hintId = useId();
  const parsed = parseLabels(value);
  return (
    <div className="field labels-input">
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
      <span id={hintId} className="small">
        {!parsed.ok ? (
          <span className="error-text" data-testid="run-labels-problem">
            {parsed.problem}
          </span>
        ) : labelPairs(parsed.labels).length === 0 ? (
          <span className="muted">key=value, separated by spaces or commas; a key given twice makes a list</span>
        ) : (
          <span className="label-chips" data-testid="run-labels-preview">
            {labelPairs(parsed.labels).map(({ key, value: v }) => (
              <span key={`${key}=${v}`} className="chip chip-label">
                {key}={v}
              </span>
            ))}
          </span>
        )}
      </span>
    </div>
  );
}
