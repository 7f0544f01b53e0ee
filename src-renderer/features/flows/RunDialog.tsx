import { useEffect, useMemo, useState } from 'react';
import type { FlowParam } from '../../../src-shared/domain/flow';
import type { JsonValue } from '../../../src-shared/domain/inventory';
import type { PlanView } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { parseLabels } from '../../format/labels';
import { useFlowDocs } from './flows-store';
import { useInventory } from '../inventory/inventory-store';
import { navigate } from '../../shell/route';
import { LabelsInput } from './LabelsInput';
import { Modal } from '../../ui/Modal';
import { PlanList } from './PlanList';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import runCss from './run-dialog.module.css';
import textCss from '../../ui/text.module.css';

type ParamKind = 'string' | 'number' | 'boolean' | 'json';

function kindOfParam(p: FlowParam): ParamKind {
  const d = p.default;
  if (typeof d === 'boolean') return 'boolean';
  if (typeof d === 'number') return 'number';
  if (d === undefined || typeof d === 'string') return 'string';
  return 'json';
}

function initialValue(p: FlowParam): string {
  const d = p.default;
  if (d === undefined) return '';
  if (typeof d === 'string') return d;
  return JSON.stringify(d);
}

/** The params to send, or the first problem. Empty optional params are left to their defaults. */
function readParams(params: FlowParam[], values: Record<string, string>): { params: Record<string, JsonValue> } | { problem: string } {
  const out: Record<string, JsonValue> = {};
  for (const p of params) {
    const raw = values[p.name] ?? '';
    const kind = kindOfParam(p);
    if (kind === 'boolean') {
      out[p.name] = raw === 'true';
      continue;
    }
    if (raw.trim() === '') {
      if (p.required) return { problem: `${p.name} is required` };
      continue;
    }
    if (kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: `${p.name} must be a number` };
      out[p.name] = n;
    } else if (kind === 'json') {
      try {
        out[p.name] = JSON.parse(raw) as JsonValue;
      } catch {
        return { problem: `${p.name} must be JSON` };
      }
    } else out[p.name] = raw;
  }
  return { params: out };
}

/**
 * Run a saved flow: its declared params (defaults filled), optionally an explicit element list
 * instead of its targets, labels; "Plan" shows the dry run, "Start" runs it and opens the execution.
 */
export function RunDialog({ flowId, onClose, unsaved }: { flowId: string; onClose: () => void; unsaved?: boolean }) {
  const entry = useFlowDocs((s) => s.docs[flowId]);
  const elements = useInventory((s) => s.elements);
  const [values, setValues] = useState<Record<string, string>>({});
  const [picked, setPicked] = useState<string[]>([]);
  const [elementFilter, setElementFilter] = useState('');
  const [labels, setLabels] = useState('');
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [busy, setBusy] = useState<'plan' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void useFlowDocs
      .getState()
      .get(flowId)
      .then((r) => {
        if (r.ok) setValues(Object.fromEntries(r.flow.document.params.map((p) => [p.name, kindOfParam(p) === 'boolean' ? String(p.default === true) : initialValue(p)])));
      });
    if (useInventory.getState().loadedAt === null) void useInventory.getState().load();
  }, [flowId]);

  const params = entry !== undefined && entry !== 'loading' && entry.ok ? entry.flow.document.params : [];
  const shownElements = useMemo(() => {
    const q = elementFilter.trim().toLowerCase();
    return elements.filter((e) => e.enabled && (!q || e.id.toLowerCase().includes(q) || e.host.toLowerCase().includes(q) || e.groups.some((g) => g.includes(q))));
  }, [elements, elementFilter]);

  const request = (): { flow: string; params: Record<string, JsonValue>; elements?: string[] } | null => {
    const p = readParams(params, values);
    if ('problem' in p) {
      setError(p.problem);
      return null;
    }
    return { flow: flowId, params: p.params, ...(picked.length > 0 ? { elements: picked } : {}) };
  };

  const doPlan = async (): Promise<void> => {
    const req = request();
    if (!req) return;
    setBusy('plan');
    setError(null);
    const r = await bridge.invoke('runs/plan', req);
    setBusy(null);
    if (!r.ok) setError(errorText(r.error));
    else setPlan(r.value);
  };

  const doStart = async (): Promise<void> => {
    const req = request();
    if (!req) return;
    const l = parseLabels(labels);
    if (!l.ok) {
      setError(l.problem);
      return;
    }
    setBusy('start');
    setError(null);
    const r = await bridge.invoke('runs/start', { ...req, labels: l.labels });
    setBusy(null);
    if (!r.ok) {
      setError(errorText(r.error));
      return;
    }
    onClose();
    navigate({ page: 'execution', id: r.value.id });
  };

  const togglePick = (id: string): void => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  return (
    <Modal title={`Run ${flowId}`} onClose={onClose} testId="run-dialog" wide>
      {entry === 'loading' || entry === undefined ? (
        <p className={textCss.muted}>loading…</p>
      ) : !entry.ok ? (
        <p className={textCss.errorText}>{entry.error}</p>
      ) : (
        <form
          className={runCss.runForm}
          onSubmit={(e) => {
            e.preventDefault();
            void doStart();
          }}
        >
          <p className={textCss.muted}>
            {entry.flow.document.name} — saved version v{entry.flow.version}, {entry.flow.document.mode}
            {unsaved && <span className={textCss.warnText}> · the editor has unsaved changes: this runs the saved version</span>}
          </p>
          <fieldset>
            <legend>Params</legend>
            {params.length === 0 && <p className={textCss.muted}>This flow declares no params.</p>}
            <div className={formCss.grid}>
              {params.map((p) => {
                const kind = kindOfParam(p);
                const value = values[p.name] ?? '';
                const set = (v: string): void => setValues((s) => ({ ...s, [p.name]: v }));
                return (
                  <label key={p.name} className={kind === 'boolean' ? cx(formCss.field, formCss.fieldCheck) : formCss.field}>
                    {kind === 'boolean' ? (
                      <>
                        <input type="checkbox" checked={value === 'true'} onChange={(e) => set(String(e.target.checked))} data-testid={`param-${p.name}`} />
                        <span>{p.name}</span>
                      </>
                    ) : (
                      <>
                        <span>
                          {p.name}
                          {p.required && <span className={textCss.errorText}> *</span>}
                          {p.description && <span className={textCss.muted}> — {p.description}</span>}
                        </span>
                        <input
                          type={p.secret ? 'password' : kind === 'number' ? 'number' : 'text'}
                          value={value}
                          className={kind === 'json' ? textCss.mono : undefined}
                          autoComplete="off"
                          onChange={(e) => set(e.target.value)}
                          data-testid={`param-${p.name}`}
                        />
                      </>
                    )}
                  </label>
                );
              })}
            </div>
          </fieldset>
          <fieldset>
            <legend>Elements {picked.length > 0 ? `(${picked.length} picked, in this order)` : '(none picked: the flow’s targets)'}</legend>
            <div className={formCss.row}>
              <input type="search" placeholder="filter" value={elementFilter} onChange={(e) => setElementFilter(e.target.value)} aria-label="Filter elements" />
              {picked.length > 0 && (
                <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setPicked([])}>
                  Clear ({picked.join(', ')})
                </button>
              )}
            </div>
            <div className={cx(formCss.pickList, runCss.pickList)} data-testid="run-elements">
              {shownElements.map((e) => (
                <label key={e.id} className={runCss.pick}>
                  <input type="checkbox" checked={picked.includes(e.id)} onChange={() => togglePick(e.id)} data-testid={`run-element-${e.id}`} />
                  <span className={textCss.mono}>{e.id}</span> <span className={textCss.muted}>{e.host}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <LabelsInput value={labels} onChange={setLabels} />
          {error && (
            <p className={textCss.errorText} role="alert" data-testid="run-error">
              {error}
            </p>
          )}
          {plan && <PlanList plan={plan} />}
          <div className={formCss.actions}>
            <span className={textCss.spacer} />
            <button type="button" className={buttonCss.btn} onClick={onClose}>
              Cancel
            </button>
            <button type="button" className={buttonCss.btn} disabled={busy !== null} onClick={() => void doPlan()} data-testid="plan-button">
              {busy === 'plan' ? 'Planning…' : 'Plan'}
            </button>
            <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy !== null} data-testid="start-button">
              {busy === 'start' ? 'Starting…' : 'Start'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
