import { addParam, moveParam, removeParam, updateParam } from './flow-yaml';
import { defaultOfText, defaultTextOf, type ParamView } from './flow-settings';
import { useSyncedText } from '../../ui/use-synced-text';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import flowSettingsCss from './flow-settings.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  params: ParamView[];
  /** Applies a pure rewrite to the current document. */
  apply: (change: (source: string) => string) => void;
}

/** A name no param has yet: `param1`, `param2`... */
function freshParamName(params: readonly ParamView[]): string {
  const used = new Set(params.map((p) => p.name));
  for (let n = params.length + 1; ; n++) if (!used.has(`param${n}`)) return `param${n}`;
}

function DefaultField({ index, name, external, apply }: { index: number; name: string; external: string; apply: Props['apply'] }) {
  // "1.50" stays as typed while it stands for the 1.5 the document holds.
  const [text, setText] = useSyncedText(external, (t, e) => defaultTextOf(defaultOfText(t)) === e);
  return (
    <input
      value={text}
      placeholder="no default"
      spellCheck={false}
      className={textCss.mono}
      aria-label={`${name || `param ${index + 1}`}: default`}
      title="JSON when it parses (5, true, [1, 2], &quot;5&quot;); anything else is text"
      onChange={(e) => {
        setText(e.target.value);
        apply((src) => updateParam(src, index, { default: defaultOfText(e.target.value) }));
      }}
      data-testid="param-default"
    />
  );
}

function ParamRow({ param, index, count, apply }: { param: ParamView; index: number; count: number; apply: Props['apply'] }) {
  const label = param.name || `param ${index + 1}`;
  const patch = (p: Record<string, unknown>): void => apply((src) => updateParam(src, index, p));
  return (
    <tr data-testid="param-row" data-param={param.name}>
      <td>
        <input value={param.name} spellCheck={false} className={textCss.mono} aria-label={`param ${index + 1}: name`} onChange={(e) => patch({ name: e.target.value })} data-testid="param-name" />
      </td>
      <td>
        <input value={param.description} aria-label={`${label}: description`} onChange={(e) => patch({ description: e.target.value })} data-testid="param-description" />
      </td>
      <td>
        <DefaultField index={index} name={param.name} external={param.defaultText} apply={apply} />
      </td>
      <td>
        {/* false is the default: the key goes rather than `required: false` piling up. */}
        <input type="checkbox" checked={param.required} aria-label={`${label}: required`} onChange={(e) => patch({ required: e.target.checked || undefined })} data-testid="param-required" />
      </td>
      <td>
        <input type="checkbox" checked={param.secret} aria-label={`${label}: secret`} onChange={(e) => patch({ secret: e.target.checked || undefined })} data-testid="param-secret" />
      </td>
      <td>
        <button type="button" className={buttonCss.icon} aria-label={`Move ${label} up`} title="Move up" disabled={index === 0} onClick={() => apply((src) => moveParam(src, index, index - 1))} data-testid="param-up">
          ↑
        </button>
        <button
          type="button"
          className={buttonCss.icon}
          aria-label={`Move ${label} down`}
          title="Move down"
          disabled={index === count - 1}
          onClick={() => apply((src) => moveParam(src, index, index + 1))}
          data-testid="param-down"
        >
          ↓
        </button>
        <button type="button" className={buttonCss.icon} aria-label={`Remove ${label}`} title="Remove" onClick={() => apply((src) => removeParam(src, index))} data-testid="param-remove">
          ×
        </button>
      </td>
    </tr>
  );
}

/** The flow's declared inputs (the run dialog and the CLI ask for them), edited in place in the document. */
export function ParamsEditor({ params, apply }: Props) {
  return (
    <fieldset className={flowSettingsCss.flowSettingsSection} data-testid="flow-params">
      <legend>Params</legend>
      {params.length === 0 ? (
        <p className={cx(textCss.muted, textCss.small)}>No params: the flow asks for nothing when it starts.</p>
      ) : (
        <table className={flowSettingsCss.paramsTable}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Default</th>
              <th>Required</th>
              <th>Secret</th>
              <th aria-label="Order and removal" />
            </tr>
          </thead>
          <tbody>
            {params.map((p, i) => (
              <ParamRow key={i} param={p} index={i} count={params.length} apply={apply} />
            ))}
          </tbody>
        </table>
      )}
      <div className={formCss.actions}>
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => apply((src) => addParam(src, { name: freshParamName(params) }))} data-testid="param-add">
          + param
        </button>
      </div>
    </fieldset>
  );
}
