import { useCallback, useEffect, useState } from 'react';
import { FlowSettingsForm } from './FlowSettingsForm';
import { FlowVisualView } from './FlowVisualView';
import { RunDialog } from './RunDialog';
import { SchedulesPanel } from '../schedules/SchedulesPanel';
import { YamlEditor } from './YamlEditor';
import { problemText } from '../../format/error';
import { useFlowEditor } from './flow-editor-store';
import { navigate, routeHref } from '../../shell/route';

type Tab = 'yaml' | 'settings' | 'visual' | 'schedules';

function CheckPanel() {
  const check = useFlowEditor((s) => s.check);
  const preview = useFlowEditor((s) => s.preview);
  return (
    <div className="check-panel">
      <section aria-label="Check">
        <h3>Check</h3>
        {check.state === 'checking' && <p className="muted">checking…</p>}
        {check.state === 'ok' && (
          <p className="ok-text" data-testid="flow-ok">
            valid: {check.flows.join(', ')}
            {check.tasks.length > 0 && ` · tasks ${check.tasks.join(', ')}`}
          </p>
        )}
        {check.state === 'problem' && (
          <p className="error-text problem" data-testid="flow-problem" data-line={check.problem.line}>
            {problemText(check.problem)}
          </p>
        )}
        {check.state === 'error' && (
          <p className="error-text" data-testid="flow-problem">
            {check.error}
          </p>
        )}
      </section>
      <section aria-label="Preview">
        <h3>Element order</h3>
        <p className="muted small">the targets after the processing script, with default params</p>
        {preview.state === 'checking' && <p className="muted">running the processing script…</p>}
        {preview.state === 'skipped' && <p className="muted">fix the document first</p>}
        {preview.state === 'ok' && (
          <ol className="preview-list" data-testid="preview-list">
            {preview.elements.map((e) => (
              <li key={e.id} data-testid="preview-item" data-element={e.id}>
                <span className="mono">{e.id}</span> <span className="muted">{e.host}</span>
                {e.groups.length > 0 && <span className="muted"> · {e.groups.join(', ')}</span>}
              </li>
            ))}
            {preview.elements.length === 0 && <li className="muted">no element matches the targets</li>}
          </ol>
        )}
        {preview.state === 'problem' && (
          <p className="error-text problem" data-testid="preview-error" data-line={preview.problem.line}>
            processing script: {problemText(preview.problem)}
          </p>
        )}
        {preview.state === 'error' && (
          <p className="error-text" data-testid="preview-error">
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
    <div className="page-flow">
      <div className="page-head">
        <a href={routeHref({ page: 'flows' })} className="muted">
          Flows
        </a>
        <span className="muted">/</span>
        <h1 className="mono">{id ?? 'new flow'}</h1>
        {s.version !== null && <span className="chip">v{s.version}</span>}
        {dirty && (
          <span className="warn-text" data-testid="flow-dirty">
            unsaved
          </span>
        )}
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'yaml'} className={tab === 'yaml' ? 'tab active' : 'tab'} onClick={() => setTab('yaml')} data-testid="tab-yaml">
            YAML
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'settings'}
            className={tab === 'settings' ? 'tab active' : 'tab'}
            onClick={() => setTab('settings')}
            title="Targets, mode, controls, params and the processing script as a form"
            data-testid="tab-settings"
          >
            Settings
          </button>
          <button type="button" role="tab" aria-selected={tab === 'visual'} className={tab === 'visual' ? 'tab active' : 'tab'} onClick={() => setTab('visual')} data-testid="tab-visual">
            Visual
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'schedules'}
            className={tab === 'schedules' ? 'tab active' : 'tab'}
            disabled={id === null}
            title={id === null ? 'save the flow first' : undefined}
            onClick={() => setTab('schedules')}
            data-testid="tab-schedules"
          >
            Schedules
          </button>
        </div>
        <span className="spacer" />
        {s.saveMessage && (
          <span className="ok-text" data-testid="flow-save-result">
            {s.saveMessage}
          </span>
        )}
        <button type="button" className="btn" disabled={id === null} title={id === null ? 'save the flow first' : undefined} onClick={() => setRunning(true)} data-testid="run-button">
          Run…
        </button>
        <button type="button" className="btn btn-primary" disabled={s.saving || s.loading} onClick={() => void save()} data-testid="flow-save" title="Save (Ctrl+S)">
          {s.saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {s.saveError && (
        <p className="error-text banner banner-error" data-testid="flow-save-error" role="alert">
          {s.saveError}
        </p>
      )}
      {s.loadError && (
        <p className="error-text banner banner-error" role="alert">
          {s.loadError}
        </p>
      )}
      <div className="split">
        <div className="split-main editor-area">
          {s.loading ? (
            <p className="muted">loading…</p>
          ) : tab === 'schedules' && id !== null ? (
            <div className="scroll">
              <SchedulesPanel flowId={id} />
            </div>
          ) : tab === 'settings' ? (
            <div className="scroll">
              <FlowSettingsForm source={s.source} apply={applyEdit} savedId={s.flowId} problem={problem} />
            </div>
          ) : tab !== 'visual' ? (
            <YamlEditor value={s.source} onChange={s.setSource} problem={problem} testId="flow-editor-yaml" label="Flow YAML" />
          ) : (
            <div className="scroll">
              <FlowVisualView source={s.source} onChange={s.setSource} />
            </div>
          )}
        </div>
        <aside className="split-side side-narrow scroll">
          <CheckPanel />
        </aside>
      </div>
      {running && id !== null && <RunDialog flowId={id} unsaved={dirty} onClose={() => setRunning(false)} />}
    </div>
  );
}
