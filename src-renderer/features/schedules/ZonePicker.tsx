import { useId, useMemo } from 'react';
import { localZone, timeZones } from './zones';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import schedulesCss from './schedules.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  value: string;
  onChange: (zone: string) => void;
  problem?: string | null;
  testId: string;
}

/**
 * An IANA zone: type to filter the runtime's own list (no network), or take the local zone or
 * UTC with one click. Any alias the runtime accepts is allowed; main checks it again.
 */
export function ZonePicker({ value, onChange, problem, testId }: Props) {
  const zones = useMemo(() => timeZones(), []);
  const listId = useId();
  const local = localZone();
  return (
    <div className={cx(formCss.field, schedulesCss.zonePicker)}>
      <label htmlFor={`${listId}-input`}>Time zone</label>
      <div className={formCss.row}>
        <input
          id={`${listId}-input`}
          list={listId}
          value={value}
          spellCheck={false}
          autoComplete="off"
          placeholder="Europe/Berlin"
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${listId}-error` : undefined}
          data-testid={testId}
        />
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => onChange(local)} title={`This machine's zone (${local})`} data-testid={`${testId}-local`}>
          local
        </button>
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => onChange('UTC')} data-testid={`${testId}-utc`}>
          UTC
        </button>
      </div>
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {problem && (
        <small id={`${listId}-error`} className={textCss.errorText} data-testid={`${testId}-error`}>
          {problem}
        </small>
      )}
    </div>
  );
}
