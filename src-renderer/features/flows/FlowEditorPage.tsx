import { useCallback, useEffect, useState } from 'react';
import { FlowSettingsForm } from './FlowSettingsForm';
import { FlowVisualView } from './FlowVisualView';
import { RunDialog } from './RunDialog';
import { SchedulesPanel } from '../schedules/SchedulesPanel';
import { YamlEditor } from './YamlEditor';
import { problemText } from '../../format/error';
import { useFlowEditor } from './flow-editor-store';
import { navigate, routeHref } from '../../shell/route';
import { cx } from '../../ui/class-names';
import bannerCss from '../../ui/banner.module.css';
import buttonCss from '../../ui/button.module.css';
import chipCss from '../../ui/chip.module.css';
import flowsCss from './flow-editor.module.css';
import layoutCss from '../../ui/layout.module.css';
import tabsCss from '../../ui/tabs.module.css';
import textCss from '../../ui/text.module.css';

type Tab = 'yaml' | 'settings' | 'visual' | 'schedules';

function CheckPanel() {
  const check = useFlowEditor((s) => s.check);
  const preview = useFlowEditor((s) => s.preview);
  return (
    <div className={flowsCss.checkPanel}>
      <section aria-label="Check">
        <h3>Check</h3>
        {check.state === 'checking' && <p className={textCss.muted}>checking…</p>}
        {check.state === 'ok' && (
          <p className={textCss.okText} data-testid="flow-ok">
            valid: {check.flows.join(', ')}
            {check.tasks.length > 0 && ` · tasks ${check.tasks.join(', ')}`}
          </p>
        )}
        {check.state === 'problem' && (
          <p className={cx(textCss.errorText, flowsCss.problem)} data-testid="flow-problem" data-line={check.problem.line}>
            {problemText(check.problem)}
          </p>
        )}
        {check.state === 'error' && (
          <p className={textCss.errorText} data-testid="flow-problem">
            {check.error}
          </p>
        )}
      </section>
      <section aria-label="Preview">
        <h3>Element order</h3>
        <p className={cx(textCss.muted, textCss.small)}>the targets after the processing script, with default params</p>
        {preview.state === 'checking' && <p className={textCss.muted}>running the processing script…</p>}
        {preview.state === 'skipped' && <p className={textCss.muted}>fix the document first</p>}
        {preview.state === 'ok' && (
          <ol className={flowsCss.previewList} data-testid="preview-list">
            {preview.elements.map((e) => (
              <li key={e.id} data-testid="preview-item" data-element={e.id}>
                <span className={textCss.mono}>{e.id}</span> <span className={textCss.muted}>{e.host}</span>
                {e.groups.length > 0 && <span className={textCss.muted}> · {e.groups.join(', ')}</span>}
              </li>
            ))}
            {preview.elements.length === 0 && <li className={textCss.muted}>no element matches the targets</li>}
          </ol>
        )}
        {preview.state === 'problem' && (
          <p className={cx(textCss.errorText, flowsCss.problem)} data-testid="preview-error" data-line={preview.problem.line}>
            processing script: {problemText(preview.problem)}
          </p>
        )}
        {preview.state === 'error' && (
          <p className={textCss.errorText} data-testid="preview-error">
            {preview.error}
          </p>
        )}
      </section>
    </div>
  );
}

/** One flow's YAML (the one document) with its text and visual views, live check and preview, save and run. */
export function FlowEditorPage({ id }: { id: string | null }) {
  const s = useFlowEditor();
  const [tab, setTab] = useState<Tab>('yaml');
  const [running, setRunning] = useState(false);
  const dirty = s.source !== s.savedSource;

  useEffect(() => {
    const st = useFlowEditor.getState();
    // Coming back to the flow being edited keeps unsaved changes; anything else opens fresh.
    const sameFlow = st.flowId === id && (id !== null || st.source !== '');
    if (!sameFlow) void st.open(id);
    else if (id !== null && st.source === st.savedSource) void st.refresh();
  }, [id]);

  // Form edits rewrite the store's latest text: two quick changes in one tick must not undo each other.
  const applyEdit = useCallback((change: (source: string) => string) => {
    const st = useFlowEditor.getState();
    st.setSource(change(st.source));
  }, []);

  const save = useCallback(async () => {
    const saved = await useFlowEditor.getState().save();
    // A new flow's own address once saved; a document of tasks only goes to the task library.
    if (saved && !(saved.page === 'flow' && saved.id === id)) navigate(saved);
  }, [id]);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 's') {
        ev.preventDefault();
        if (!useFlowEditor.getState().saving) void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  // The editor marks a document problem, or else a processing-script error (main gives its YAML line).
  const problem = s.check.state === 'problem' ? s.check.problem : s.preview.state === 'problem' && s.preview.problem.line !== undefined ? s.preview.problem : null;

  return (
    <div>
      <div className={layoutCss.pageHead}>
        <a href={routeHref({ page: 'flows' })} className={textCss.muted}>
          Flows
        </a>
        <span className={textCss.muted}>/</span>
        <h1 className={textCss.mono}>{id ?? 'new flow'}</h1>
        {s.version !== null && <span className={chipCss.chip}>v{s.version}</span>}
        {dirty && (
          <span className={textCss.warnText} data-testid="flow-dirty">
            unsaved
          </span>
        )}
        <div className={tabsCss.tabs} role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'yaml'} className={tab === 'yaml' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => setTab('yaml')} data-testid="tab-yaml">
            YAML
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'settings'}
            className={tab === 'settings' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab}
            onClick={() => setTab('settings')}
            title="Targets, mode, controls, params and the processing script as a form"
            data-testid="tab-settings"
          >
            Settings
          </button>
          <button type="button" role="tab" aria-selected={tab === 'visual'} className={tab === 'visual' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => setTab('visual')} data-testid="tab-visual">
            Visual
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'schedules'}
            className={tab === 'schedules' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab}
            disabled={id === null}
            title={id === null ? 'save the flow first' : undefined}
            onClick={() => setTab('schedules')}
            data-testid="tab-schedules"
          >
            Schedules
          </button>
        </div>
        <span className={textCss.spacer} />
        {s.saveMessage && (
          <span className={textCss.okText} data-testid="flow-save-result">
            {s.saveMessage}
          </span>
        )}
        <button type="button" className={buttonCss.btn} disabled={id === null} title={id === null ? 'save the flow first' : undefined} onClick={() => setRunning(true)} data-testid="run-button">
          Run…
        </button>
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} disabled={s.saving || s.loading} onClick={() => void save()} data-testid="flow-save" title="Save (Ctrl+S)">
          {s.saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {s.saveError && (
        <p className={cx(textCss.errorText, bannerCss.banner, bannerCss.error)} data-testid="flow-save-error" role="alert">
          {s.saveError}
        </p>
      )}
      {s.loadError && (
        <p className={cx(textCss.errorText, bannerCss.banner, bannerCss.error)} role="alert">
          {s.loadError}
        </p>
      )}
      <div className={layoutCss.split}>
        <div className={cx(layoutCss.splitMain, flowsCss.editorArea)} data-testid="editor-area">
          {s.loading ? (
            <p className={textCss.muted}>loading…</p>
          ) : tab === 'schedules' && id !== null ? (
            <div className={layoutCss.scroll}>
              <SchedulesPanel flowId={id} />
            </div>
          ) : tab === 'settings' ? (
            <div className={layoutCss.scroll}>
              <FlowSettingsForm source={s.source} apply={applyEdit} savedId={s.flowId} problem={problem} />
            </div>
          ) : tab !== 'visual' ? (
            <YamlEditor value={s.source} onChange={s.setSource} problem={problem} testId="flow-editor-yaml" label="Flow YAML" />
          ) : (
            <div className={layoutCss.scroll}>
              <FlowVisualView source={s.source} onChange={s.setSource} />
            </div>
          )}
        </div>
        <aside className={cx(layoutCss.splitSide, layoutCss.sideNarrow, layoutCss.scroll)}>
          <CheckPanel />
        </aside>
      </div>
      {running && id !== null && <RunDialog flowId={id} unsaved={dirty} onClose={() => setRunning(false)} />}
    </div>
  );
}
