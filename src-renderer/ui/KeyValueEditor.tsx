import { useId, useState } from 'react';
import type { JsonObject } from '../../src-shared/domain/inventory';
import { jsonTextOf, objectOf, parseJsonObject, rowsOf, type KeyValueRow, type Parsed } from '../format/json-object';
import { cx } from './class-names';
import buttonCss from './button.module.css';
import formCss from './form.module.css';
import kvCss from './key-value-editor.module.css';
import tabsCss from './tabs.module.css';
import textCss from './text.module.css';

type Mode = 'kv' | 'json';

interface Props {
  /** The object when the editor opens; later changes come back through `onChange` only. */
  initial: JsonObject;
  onChange: (result: Parsed<JsonObject>) => void;
  label: string;
  testId: string;
  hint?: string;
  /** A problem found outside (e.g. by the server), shown under the editor. */
  problem?: string | null;
}

const isFlat = (obj: JsonObject): boolean => Object.values(obj).every((v) => v === null || typeof v !== 'object');

const blankRow = (): KeyValueRow => ({ key: '', value: '' });

/**
 * A JSON object edited as key/value rows or as JSON text, with the problem shown as the
 * operator types. Flat objects open as rows, nested ones as JSON. Switching views keeps the
 * value; a view with a problem cannot be left until it is fixed, so nothing is lost.
 */
export function KeyValueEditor({ initial, onChange, label, testId, hint, problem }: Props) {
  const [mode, setMode] = useState<Mode>(() => (isFlat(initial) ? 'kv' : 'json'));
  const [text, setText] = useState(() => jsonTextOf(initial));
  const [rows, setRows] = useState<KeyValueRow[]>(() => [...rowsOf(initial), blankRow()]);
  const [local, setLocal] = useState<string | null>(null);
  const labelId = useId();

  const report = (r: Parsed<JsonObject>): void => {
    setLocal(r.ok ? null : r.problem);
    onChange(r);
  };

  const editText = (t: string): void => {
    setText(t);
    report(parseJsonObject(t));
  };

  const editRows = (next: KeyValueRow[]): void => {
    // Always one empty row at the end to type into.
    const last = next[next.length - 1];
    const withBlank = last && last.key === '' && last.value === '' ? next : [...next, blankRow()];
    setRows(withBlank);
    report(objectOf(withBlank));
  };

  const switchTo = (to: Mode): void => {
    if (to === mode) return;
    if (to === 'kv') {
      const r = parseJsonObject(text);
      if (!r.ok) return setLocal(r.problem);
      setRows([...rowsOf(r.value), blankRow()]);
    } else {
      const r = objectOf(rows);
      if (!r.ok) return setLocal(r.problem);
      setText(jsonTextOf(r.value));
    }
    setLocal(null);
    setMode(to);
  };

  const shown = local ?? problem ?? null;
  return (
    <div className={cx(formCss.field, kvCss.editor)} data-testid={testId} data-mode={mode} role="group" aria-labelledby={labelId}>
      <div className={kvCss.head}>
        <span id={labelId}>{label}</span>
        <span className={textCss.spacer} />
        <div className={cx(tabsCss.tabs, kvCss.tabs)} role="tablist" aria-label={`${label}: view`}>
          <button type="button" role="tab" aria-selected={mode === 'kv'} className={mode === 'kv' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => switchTo('kv')} data-testid={`${testId}-mode-kv`}>
            Key/value
          </button>
          <button type="button" role="tab" aria-selected={mode === 'json'} className={mode === 'json' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => switchTo('json')} data-testid={`${testId}-mode-json`}>
            JSON
          </button>
        </div>
      </div>
      {mode === 'json' ? (
        <textarea
          className={textCss.mono}
          rows={6}
          value={text}
          spellCheck={false}
          onChange={(e) => editText(e.target.value)}
          aria-label={`${label} (JSON object)`}
          aria-invalid={shown ? true : undefined}
          data-testid={`${testId}-json`}
        />
      ) : (
        <div className={kvCss.rows}>
          {rows.map((r, i) => (
            <div className={kvCss.row} key={i} data-testid={`${testId}-row`}>
              <input
                value={r.key}
                placeholder="key"
                spellCheck={false}
                aria-label={`${label}: key ${i + 1}`}
                onChange={(e) => editRows(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
                data-testid={`${testId}-key`}
              />
              <input
                value={r.value}
                placeholder="value"
                spellCheck={false}
                aria-label={`${label}: value ${i + 1}`}
                onChange={(e) => editRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                data-testid={`${testId}-value`}
              />
              <button
                type="button"
                className={buttonCss.icon}
                aria-label={`Remove ${r.key || `row ${i + 1}`}`}
                disabled={i === rows.length - 1}
                onClick={() => editRows(rows.filter((_, j) => j !== i))}
                data-testid={`${testId}-remove`}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      )}
      <small className={textCss.muted}>{hint ?? (mode === 'kv' ? 'values are JSON when they parse (5, true, [1, 2], "5"); anything else is text' : 'a JSON object')}</small>
      {shown && (
        <small className={textCss.errorText} role="alert" data-testid={`${testId}-error`}>
          {shown}
        </small>
      )}
    </div>
  );
}
