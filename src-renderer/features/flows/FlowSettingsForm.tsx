import { useEffect, useMemo, useState } from 'react';
import { flowModes } from '../../../src-shared/domain/flow';
import type { ProblemAt } from '../../../src-shared/ipc/contract';
import { readSettings, type FlowSettingsView } from './flow-settings';
import { readFlow, readFlowLoose, setFlowField, setProcessing, setTargetField, type FieldValue, type FlowKey, type TargetKey } from './flow-yaml';
import { scriptProblemOf } from './script-problem';
import { problemText } from '../../format/error';
import { groupNames, useInventory } from '../inventory/inventory-store';
import { ControlsEditor } from './ControlsEditor';
import { ParamsEditor } from './ParamsEditor';
import { ProcessingEditor } from './ProcessingEditor';
import { TargetsEditor } from './TargetsEditor';
import { cx } from '../../ui/class-names';
import bannerCss from '../../ui/banner.module.css';
import flowSettingsCss from './flow-settings.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  source: string;
  /** Applies a pure rewrite to the current document (the store's latest text, not a render's copy). */
  apply: (change: (source: string) => string) => void;
  /** The saved flow's id: once saved, the id names the flow and is not edited here. */
  savedId: string | null;
  /** The problem the check or the preview found, at its place in the YAML text. */
  problem: ProblemAt | null;
}

type Read = { ok: true; view: FlowSettingsView } | { ok: false; error: string; partial: FlowSettingsView | null };

function read(source: string): Read {
  const r = readFlow(source);
  if (r.ok) return { ok: true, view: readSettings(r.flow) };
  const loose = readFlowLoose(source);
  const partial = loose ? readSettings(loose) : null;
  // Several documents (a flow with its tasks) parse one by one only: the form edits a single flow.
  if (/multiple documents/i.test(r.error)) return { ok: false, error: 'the text holds several YAML documents; the form edits a text with one flow', partial };
  return { ok: false, error: r.error, partial };
}

function BasicsEditor({ view, savedId, set }: { view: FlowSettingsView; savedId: string | null; set: (key: FlowKey, value: FieldValue) => void }) {
  return (
    <fieldset className={flowSettingsCss.flowSettingsSection} data-testid="flow-basics">
      <legend>Flow</legend>
      <div className={formCss.grid}>
        <label className={formCss.field}>
          <span>Id</span>
          <input
            className={textCss.mono}
            value={view.id}
            spellCheck={false}
            readOnly={savedId !== null}
            title={savedId !== null ? 'the id names the saved flow; a new id would save a new flow (in the YAML tab)' : undefined}
            onChange={(e) => set('id', e.target.value)}
            data-testid="settings-id"
          />
        </label>
        <label className={formCss.field}>
          <span>Name</span>
          <input value={view.name} onChange={(e) => set('name', e.target.value)} data-testid="settings-name" />
        </label>
        <div className={formCss.field} role="radiogroup" aria-labelledby="settings-mode-label" data-testid="settings-mode">
          <span id="settings-mode-label">Mode</span>
          <div className={formCss.row}>
            {flowModes.map((m) => (
              <label key={m} className={formCss.fieldInline}>
                <input type="radio" name="settings-mode" value={m} checked={(view.mode ?? 'serial') === m} onChange={() => set('mode', m)} data-testid={`settings-mode-${m}`} />
                {m}
              </label>
            ))}
          </div>
        </div>
      </div>
      <label className={formCss.field}>
        <span>Description</span>
        <textarea rows={2} value={view.description} onChange={(e) => set('description', e.target.value)} data-testid="settings-description" />
      </label>
    </fieldset>
  );
}

/**
 * The flow's settings as a form: basics, targets, controls, params and the processing script.
 * It edits the same YAML document as the text and visual views (every change rewrites that text
 * in place, comments and all), and turns read-only while the text does not parse, so a stale
 * form never overwrites what the operator is typing in YAML.
 */
export function FlowSettingsForm({ source, apply, savedId, problem }: Props) {
  const current = useMemo(() => read(source), [source]);
  // While the text does not parse, the form shows, greyed out, what the parser recovered of it, or
  // else the last document that parsed while the form was open.
  const [lastGood, setLastGood] = useState<FlowSettingsView | null>(current.ok ? current.view : null);
  if (current.ok && current.view !== lastGood) setLastGood(current.view);
  const view = current.ok ? current.view : (current.partial ?? lastGood);

  const inventory = useInventory();
  useEffect(() => {
    if (useInventory.getState().loadedAt === null) void useInventory.getState().load();
  }, []);
  const groups = useMemo(() => groupNames(inventory.elements, inventory.document), [inventory.elements, inventory.document]);
  const elementIds = useMemo(() => inventory.elements.map((e) => e.id), [inventory.elements]);
  const profiles = useMemo(() => (inventory.document?.profiles ?? []).map((p) => p.id), [inventory.document]);

  const processingProblem = useMemo(() => scriptProblemOf(source, ['processing'], problem), [source, problem]);
  const expressionProblem = useMemo(() => scriptProblemOf(source, ['targets', 'expression'], problem), [source, problem]);

  const setField = (key: FlowKey, value: FieldValue): void => apply((src) => setFlowField(src, key, value));
  const setTarget = (key: TargetKey, value: FieldValue): void => apply((src) => setTargetField(src, key, value));

  return (
    <div className={flowSettingsCss.flowSettings} data-testid="flow-settings" data-readonly={current.ok ? undefined : 'true'}>
      {!current.ok && (
        <p className={cx(textCss.errorText, bannerCss.banner, bannerCss.error, flowSettingsCss.banner)} role="alert" data-testid="settings-unparsed">
          The YAML does not parse ({current.error}). Fix it in the YAML tab first; until then this form is read-only.
        </p>
      )}
      {view === null ? null : (
        <>
          <fieldset className={flowSettingsCss.flowSettingsBody} disabled={!current.ok}>
            <BasicsEditor view={view} savedId={savedId} set={setField} />
            <TargetsEditor
              targets={view.targets}
              groups={groups}
              elements={elementIds}
              profiles={profiles}
              set={setTarget}
              expressionProblem={expressionProblem ? problemText(expressionProblem) : null}
            />
            <ControlsEditor controls={view.controls} parallel={view.mode === 'parallel'} set={setField} />
            <ParamsEditor params={view.params} apply={apply} />
          </fieldset>
          <section className={cx(flowSettingsCss.flowSettingsSection, flowSettingsCss.processingSection)} aria-labelledby="processing-label" data-testid="flow-processing">
            <h3 id="processing-label">Processing script</h3>
            <p className={cx(textCss.muted, textCss.small)}>
              JavaScript that sorts and filters <code>elements</code> (the targets) with <code>order_flow_elements(list, keyFn, reverse)</code> and{' '}
              <code>filter_flow_elements(list, predicate)</code>; <code>params</code> holds the params. The result is <code>elements</code>, or the array the script
              returns. The element order beside follows as you type.
            </p>
            <ProcessingEditor value={view.processing} readOnly={!current.ok} problem={processingProblem} onChange={(script) => apply((src) => setProcessing(src, script))} />
            {processingProblem && (
              <p className={cx(textCss.errorText, textCss.small)} data-testid="processing-error" data-line={processingProblem.line}>
                line {processingProblem.line}: {processingProblem.message}
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
