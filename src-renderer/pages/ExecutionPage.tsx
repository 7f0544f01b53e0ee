import { useEffect, useMemo, useState } from 'react';
import { finishedExecutionStatuses } from '../../src-shared/domain/execution';
import { ExecGrid } from '../components/ExecGrid';
import { LogPanel } from '../components/LogPanel';
import { StatusBadge } from '../components/StatusBadge';
import { Timeline } from '../components/Timeline';
import { bridge } from '../bridge';
import { buildGrid, cellKey, elementsDone } from '../execution/grid-model';
import { errorText } from '../format/error';
import { formatDateTime, formatDuration, span } from '../format/time';
import { useExecution } from '../stores/execution';
import { useFlowDocs } from '../stores/flows';
import { routeHref } from '../stores/route';

type Tab = 'grid' | 'timeline';

function useTicking(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function CancelButton({ id }: { id: number }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async (): Promise<void> => {
    setBusy(true);
    const r = await bridge.invoke('executions/cancel', { id });
    setBusy(false);
    setConfirming(false);
    if (!r.ok) setError(errorText(r.error));
    else if (!r.value.cancelled) setError('it had already ended');
  };
  return (
    <span className="row">
      {error && <span className="error-text">cancel: {error}</span>}
      {confirming ? (
        <>
          <span className="warn-text">Cancel this run? Running commands are killed.</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void cancel()} data-testid="cancel-confirm">
            Yes, cancel
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            No
          </button>
        </>
      ) : (
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} data-testid="cancel-button">
          Cancel…
        </button>
      )}
    </span>
  );
}

/** One execution: header with progress, the live element x step grid or the timeline, and the log of the picked cell. */
export function ExecutionPage({ id }: { id: number }) {
  const { detail, runs, loading, error } = useExecution();
  const docs = useFlowDocs((s) => s.docs);
  const [tab, setTab] = useState<Tab>('grid');
  const [selected, setSelected] = useState<{ element: string; step: string } | null>(null);

  useEffect(() => {
    void useExecution.getState().open(id);
    return () => useExecution.getState().close();
  }, [id]);

  const flow = detail?.flow;
  const flowVersion = detail?.flowVersion;
  const flowKey = flow !== undefined ? `${flow}@${flowVersion}` : null;
  useEffect(() => {
    if (flow !== undefined) void useFlowDocs.getState().get(flow, flowVersion);
  }, [flow, flowVersion]);
  const flowEntry = flowKey ? docs[flowKey] : undefined;
  const declared = useMemo(() => (flowEntry && flowEntry !== 'loading' && flowEntry.ok ? flowEntry.flow.document.steps.map((s) => s.id) : []), [flowEntry]);

  const elements = detail?.elements;
  const grid = useMemo(() => buildGrid(elements ?? [], runs.values(), declared), [elements, runs, declared]);
  const ended = detail ? finishedExecutionStatuses.includes(detail.status) : false;
  const now = useTicking(!!detail && !ended);
  const total = grid.rows.length;
  const done = elementsDone(grid, declared, ended);
  const runsList = useMemo(() => [...runs.values()], [runs]);

  if (error && !detail) {
    return (
      <div className="page-execution">
        <p className="error-text banner banner-error">
          Execution #{id}: {error}
        </p>
      </div>
    );
  }
  if (!detail) return <p className="muted">{loading ? 'loading…' : ''}</p>;

  const cell = selected ? grid.cells.get(cellKey(selected.element, selected.step)) : undefined;
  const labels = Object.entries(detail.labels ?? {});
  const params = Object.entries(detail.params ?? {});

  return (
    <div className="page-execution" data-testid="execution" data-execution={detail.id} data-status={detail.status}>
      <div className="page-head">
        <a href={routeHref({ page: 'executions' })} className="muted">
          Executions
        </a>
        <span className="muted">/</span>
        <h1>
          #{detail.id}{' '}
          <a href={routeHref({ page: 'flow', id: detail.flow })} className="mono" data-testid="execution-flow">
            {detail.flow}
          </a>{' '}
          <span className="muted" data-testid="execution-version">
            v{detail.flowVersion}
          </span>
        </h1>
        <StatusBadge status={detail.status} testId="execution-status" />
        <div className="progress" data-testid="progress" data-done={done} data-total={total} title="elements done / total">
          <div className="progress-bar">
            <div className="progress-fill" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
          </div>
          <span>
            {done} / {total} elements
          </span>
        </div>
        <span className="spacer" />
        {!ended && <CancelButton id={detail.id} />}
      </div>
      <dl className="facts facts-inline" data-testid="execution-facts">
        <dt>trigger</dt>
        <dd>
          {detail.trigger}
          {detail.originId != null && (
            <>
              {' '}
              from <a href={routeHref({ page: 'execution', id: detail.originId })}>#{detail.originId}</a>
            </>
          )}
        </dd>
        <dt>queued</dt>
        <dd>{formatDateTime(detail.queuedAt)}</dd>
        <dt>started</dt>
        <dd data-testid="execution-started">{formatDateTime(detail.startedAt)}</dd>
        <dt>finished</dt>
        <dd data-testid="execution-finished">{formatDateTime(detail.finishedAt)}</dd>
        <dt>duration</dt>
        <dd>{formatDuration(span(detail.startedAt, detail.finishedAt, now))}</dd>
        {params.length > 0 && (
          <>
            <dt>params</dt>
            <dd className="mono">{params.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ')}</dd>
          </>
        )}
        {labels.length > 0 && (
          <>
            <dt>labels</dt>
            <dd>
              {labels.map(([k, vs]) => (
                <span key={k} className="chip">
                  {k}={vs.join(',')}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {detail.error && (
        <p className="error-text execution-error" data-testid="execution-error">
          {detail.error}
        </p>
      )}
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'grid'} className={tab === 'grid' ? 'tab active' : 'tab'} onClick={() => setTab('grid')} data-testid="tab-grid">
          Grid
        </button>
        <button type="button" role="tab" aria-selected={tab === 'timeline'} className={tab === 'timeline' ? 'tab active' : 'tab'} onClick={() => setTab('timeline')} data-testid="tab-timeline">
          Timeline
        </button>
        <span className="muted small legend">
          {['succeeded', 'running', 'failed', 'timed-out', 'skipped', 'cancelled', 'interrupted', 'pending'].map((s) => (
            <span key={s} className="legend-item">
              <span className={`legend-swatch st-${s}`} />
              {s}
            </span>
          ))}
        </span>
      </div>
      <div className={cell ? 'exec-body with-log' : 'exec-body'}>
        <div className="exec-main">
          {tab === 'grid' ? (
            <ExecGrid grid={grid} selected={selected} onSelect={(element, step) => setSelected({ element, step })} />
          ) : (
            <div className="scroll">
              <Timeline elements={grid.rows} runs={runsList} live={!ended} onSelect={(element, step) => setSelected({ element, step })} />
            </div>
          )}
        </div>
        {cell && selected && <LogPanel key={cellKey(selected.element, selected.step)} executionId={detail.id} element={selected.element} step={selected.step} cell={cell} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
