import type { FieldValue, FlowKey } from './flow-yaml';
import { controlTextOf, NUMBER_RULES, parseNumberControl, type ControlKey, type NumberControl } from './flow-settings';
import { useSyncedText } from '../../ui/use-synced-text';
import { cx } from '../../ui/class-names';
import flowSettingsCss from './flow-settings.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  controls: Partial<Record<ControlKey, unknown>>;
  parallel: boolean;
  /** Writes one control; undefined removes the key (its default applies). */
  set: (key: FlowKey, value: FieldValue) => void;
}

const DEFAULTS: Record<NumberControl, string> = {
  concurrency: '20',
  batchSize: 'all',
  delayBetweenBatches: '0',
  maxFailPercent: '100',
  timeout: 'none',
  canary: 'none',
  rateLimit: 'none',
};

const HINTS: Record<NumberControl, string> = {
  concurrency: 'parallel mode: elements at once',
  batchSize: 'elements per batch',
  delayBetweenBatches: 'seconds between batches',
  maxFailPercent: 'more failed elements than this share of a batch stops the run',
  timeout: 'seconds for the whole execution',
  canary: 'run this many elements first, then wait for an operator to approve the rest',
  rateLimit: 'at most this many step starts in any second of the execution, child flows included',
};

function NumberControlField({ name, external, set }: { name: NumberControl; external: string; set: Props['set'] }) {
  const [text, setText] = useSyncedText(external, (t, e) => {
    const r = parseNumberControl(name, t);
    return r.ok && controlTextOf(r.value) === e;
  });
  const parsed = parseNumberControl(name, text);
  const rule = NUMBER_RULES[name];
  return (
    <label className={formCss.field} data-testid={`control-${name}`}>
      <span>
        {name} <span className={textCss.muted}>({rule.unit})</span>
      </span>
      <input
        value={text}
        inputMode={rule.integer ? 'numeric' : 'decimal'}
        placeholder={`default: ${DEFAULTS[name]}`}
        title={HINTS[name]}
        aria-invalid={parsed.ok ? undefined : true}
        onChange={(e) => {
          setText(e.target.value);
          const r = parseNumberControl(name, e.target.value);
          // An invalid number stays in the field with its reason; the document keeps the last good one.
          if (r.ok) set(name, r.value);
        }}
        data-testid={`control-${name}-input`}
      />
      {!parsed.ok && (
        <small className={textCss.errorText} role="alert" data-testid={`control-${name}-error`}>
          {parsed.problem}
        </small>
      )}
    </label>
  );
}

/** `gather`: a command whose stdout becomes `element.facts`; empty removes it. */
function GatherField({ external, set }: { external: string; set: Props['set'] }) {
  const [text, setText] = useSyncedText(external, (t, e) => t.trim() === e);
  return (
    <label className={formCss.field} data-testid="control-gather">
      <span>
        gather <span className={textCss.muted}>(a command; its JSON stdout becomes element.facts)</span>
      </span>
      <input
        value={text}
        className={textCss.mono}
        placeholder="none"
        onChange={(e) => {
          setText(e.target.value);
          set('gather', e.target.value.trim() === '' ? undefined : e.target.value.trim());
        }}
        data-testid="control-gather-input"
      />
    </label>
  );
}

/** The flow controls; an empty field removes its key, so the engine's default applies. */
export function ControlsEditor({ controls, parallel, set }: Props) {
  const onFailure = controls.onFailure === 'stop' || controls.onFailure === 'continue' ? controls.onFailure : '';
  const failFast = controls.failFast === true ? 'true' : controls.failFast === false ? 'false' : '';
  return (
    <fieldset className={flowSettingsCss.flowSettingsSection} data-testid="flow-controls">
      <legend>Controls</legend>
      <div className={formCss.grid}>
        {(['concurrency', 'batchSize', 'delayBetweenBatches', 'maxFailPercent', 'timeout', 'rateLimit'] as const).map((k) => (
          <NumberControlField key={k} name={k} external={controlTextOf(controls[k])} set={set} />
        ))}
        <label className={formCss.field}>
          <span>onFailure</span>
          <select value={onFailure} onChange={(e) => set('onFailure', e.target.value === '' ? undefined : e.target.value)} data-testid="control-onFailure">
            <option value="">default (stop)</option>
            <option value="stop">stop</option>
            <option value="continue">continue</option>
          </select>
        </label>
        <label className={formCss.field}>
          <span>failFast</span>
          <select value={failFast} onChange={(e) => set('failFast', e.target.value === '' ? undefined : e.target.value === 'true')} data-testid="control-failFast">
            <option value="">default (off)</option>
            <option value="true">on: cancel running elements at the first failure</option>
            <option value="false">off</option>
          </select>
        </label>
        <label className={formCss.field}>
          <span>allowEmpty</span>
          <select
            value={controls.allowEmpty === true ? 'true' : ''}
            onChange={(e) => set('allowEmpty', e.target.value === 'true' ? true : undefined)}
            title="a run whose targets match no element fails, unless this says it may run on nothing"
            data-testid="control-allowEmpty"
          >
            <option value="">default (a run on no element fails)</option>
            <option value="true">on: may run on no element</option>
          </select>
        </label>
        <GatherField external={typeof controls.gather === 'string' ? controls.gather : ''} set={set} />
        <label className={formCss.field}>
          <span>reorderEachBatch</span>
          <select
            value={controls.reorderEachBatch === true ? 'true' : ''}
            onChange={(e) => set('reorderEachBatch', e.target.value === 'true' ? true : undefined)}
            title="gather and order again before each batch, on the elements not yet run (needs gather)"
            data-testid="control-reorderEachBatch"
          >
            <option value="">off: gather once, before the first step</option>
            <option value="true">on: gather and order again before each batch</option>
          </select>
        </label>
      </div>
      {!parallel && controls.concurrency !== undefined && <p className={cx(textCss.muted, textCss.small)}>concurrency applies in parallel mode only.</p>}
      {controls.reorderEachBatch === true && typeof controls.gather !== 'string' && (
        <p className={textCss.errorText} role="alert" data-testid="control-reorder-needs-gather">
          reorderEachBatch needs a gather command that prints the facts to order by.
        </p>
      )}
    </fieldset>
  );
}
