import { useEffect, useMemo, useState } from 'react';
import { finishedExecutionStatuses } from '../../../src-shared/domain/execution';
import { ApprovalPanel } from './ApprovalPanel';
import { BatchOrders } from './BatchOrders';
import { ControlBar } from './ControlBar';
import { ExecGrid } from './ExecGrid';
import { LabelChips } from './LabelChips';
import { LogPanel } from './log/LogPanel';
import { OutputGroups } from './OutputGroups';
import { RetryLinks } from './RetryLinks';
import { StatusBadge } from '../../ui/StatusBadge';
import { Timeline } from './Timeline';
import { pauseStateOf, type PauseState } from './control';
import { buildGrid, cellKey, elementsDone } from './grid-model';
import { formatDateTime, formatDuration, span } from '../../format/time';
import { useExecution } from './execution-store';
import { useFlowDocs } from '../flows/flows-store';
import { routeHref } from '../../shell/route';
import { cx } from '../../ui/class-names';
import bannerCss from '../../ui/banner.module.css';
import executionCss from './execution.module.css';
import factsCss from '../../ui/facts.module.css';
import layoutCss from '../../ui/layout.module.css';
import statusCss from '../../ui/status.module.css';
import tabsCss from '../../ui/tabs.module.css';
import textCss from '../../ui/text.module.css';

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

/** Says what a pause means right now: still finishing running steps, or fully paused. */
function PauseNote({ state }: { state: PauseState }) {
  if (state === null) return null;
  return (
    <p className={cx(bannerCss.banner, executionCss.pauseNote)} role="status" data-testid="pause-state" data-state={state.kind}>
      {/* One flex item: the banner's gap would otherwise split the sentence. */}
      <span>
        {state.kind === 'paused' ? (
          <>
            <strong>Paused</strong>: no new step starts until you resume.
          </>
        ) : (
          <>
            <strong>paused (running steps finish)</strong>:{' '}
            {state.stillRunning === 0 ? 'no step is running any more' : `${state.stillRunning} step run${state.stillRunning === 1 ? '' : 's'} still running`}; no new one starts.
          </>
        )}
      </span>
    </p>
  );
}

/** One execution: header with progress, the live element x step grid or the timeline, and the log of the picked cell. */
export function ExecutionPage({ id }: { id: number }) {
  const { detail, runs, approvals, loading, error } = useExecution();
  const docs = useFlowDocs((s) => s.docs);
  const [tab, setTab] = useState<Tab>('grid');
  const [selected, setSelected] = useState<{ element: string; step: string } | null>(null);
  const [groupedStep, setGroupedStep] = useState<string | null>(null);

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
  const pauseState = useMemo(() => (detail ? pauseStateOf(detail.summary, runsList) : null), [detail, runsList]);

  if (error && !detail) {
    return (
      <div className={executionCss.pageExecution}>
        <p className={cx(textCss.errorText, bannerCss.banner, bannerCss.error)}>
          Execution #{id}: {error}
        </p>
      </div>
    );
  }
  if (!detail) return <p className={textCss.muted}>{loading ? 'loading…' : ''}</p>;

  const cell = selected ? grid.cells.get(cellKey(selected.element, selected.step)) : undefined;
  const summary = detail.summary;
  const params = Object.entries(detail.params ?? {});

  return (
    <div
      className={executionCss.pageExecution}
      data-testid="execution"
      data-execution={detail.id}
      data-status={detail.status}
      data-pause-requested={summary.pauseRequested ? 'true' : 'false'}
      data-pending-approvals={summary.pendingApprovals}
    >
      <div className={layoutCss.pageHead}>
        <a href={routeHref({ page: 'executions' })} className={textCss.muted}>
          Executions
        </a>
        <span className={textCss.muted}>/</span>
        <h1>
          #{detail.id}{' '}
          <a href={routeHref({ page: 'flow', id: detail.flow })} className={textCss.mono} data-testid="execution-flow">
            {detail.flow}
          </a>{' '}
          <span className={textCss.muted} data-testid="execution-version">
            v{detail.flowVersion}
          </span>
        </h1>
        <StatusBadge status={detail.status} testId="execution-status" />
        <div className={executionCss.progress} data-testid="progress" data-done={done} data-total={total} title="elements done / total">
          <div className={executionCss.progressBar}>
            <div className={executionCss.progressFill} style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
          </div>
          <span>
            {done} / {total} elements
          </span>
        </div>
        <span className={textCss.spacer} />
        <ControlBar summary={detail.summary} />
      </div>
      <PauseNote state={pauseState} />
      <dl className={cx(factsCss.facts, factsCss.inline)} data-testid="execution-facts">
        <dt>trigger</dt>
        <dd data-testid="execution-trigger">
          {summary.originId === null || summary.trigger !== 'retry' ? detail.trigger : null}
          {summary.originId !== null && (
            <>
              {summary.trigger === 'retry' ? null : ' '}
              <span data-testid="execution-origin">
                {summary.trigger === 'retry' ? 'retry of ' : 'from '}
                <a href={routeHref({ page: 'execution', id: summary.originId })} data-testid="origin-link" data-origin={summary.originId}>
                  #{summary.originId}
                </a>
              </span>
            </>
          )}
          {summary.scheduleId !== null && <span className={textCss.muted}> · schedule #{summary.scheduleId}</span>}
          {summary.triggerId !== null && (
            <span className={textCss.muted} data-testid="execution-trigger-id">
              {' '}
              · trigger {summary.triggerId}
            </span>
          )}
          <RetryLinks executionId={detail.id} />
        </dd>
        {summary.resumedAt !== null && (
          <>
            <dt>resumed</dt>
            <dd data-testid="execution-resumed">{formatDateTime(summary.resumedAt)}</dd>
          </>
        )}
        {summary.priority !== 0 && (
          <>
            <dt>priority</dt>
            <dd>{summary.priority}</dd>
          </>
        )}
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
            <dd className={textCss.mono}>{params.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ')}</dd>
          </>
        )}
        {Object.keys(summary.labels).length > 0 && (
          <>
            <dt>labels</dt>
            <dd>
              <LabelChips labels={summary.labels} testId="execution-labels" />
            </dd>
          </>
        )}
      </dl>
      <ApprovalPanel approvals={approvals} />
      <BatchOrders orders={detail.batchOrders} />
      {detail.error && (
        <p className={cx(textCss.errorText, executionCss.executionError)} data-testid="execution-error">
          {detail.error}
        </p>
      )}
      <div className={cx(tabsCss.tabs, executionCss.tabs)} role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'grid'} className={tab === 'grid' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => setTab('grid')} data-testid="tab-grid">
          Grid
        </button>
        <button type="button" role="tab" aria-selected={tab === 'timeline'} className={tab === 'timeline' ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab} onClick={() => setTab('timeline')} data-testid="tab-timeline">
          Timeline
        </button>
        <span className={cx(textCss.muted, textCss.small, executionCss.legend)}>
          {['succeeded', 'running', 'failed', 'timed-out', 'skipped', 'cancelled', 'interrupted', 'pending'].map((s) => (
            <span key={s} className={executionCss.legendItem}>
              <span className={cx(executionCss.legendSwatch, statusCss[s])} />
              {s}
            </span>
          ))}
          <span className={executionCss.legendItem}>
            <span className={cx(executionCss.legendSwatch, statusCss.paused)} />
            awaiting approval
          </span>
        </span>
      </div>
      <div className={cx(executionCss.execBody, cell && executionCss.withLog, groupedStep !== null && executionCss.withGroups)}>
        <div className={executionCss.execMain}>
          {tab === 'grid' ? (
            <ExecGrid
              grid={grid}
              selected={selected}
              onSelect={(element, step) => setSelected({ element, step })}
              groupedStep={groupedStep}
              onGroupStep={(step) => setGroupedStep((had) => (had === step ? null : step))}
            />
          ) : (
            <div className={layoutCss.scroll}>
              <Timeline elements={grid.rows} runs={runsList} live={!ended} onSelect={(element, step) => setSelected({ element, step })} />
            </div>
          )}
        </div>
        {groupedStep !== null && (
          <OutputGroups
            key={groupedStep}
            executionId={detail.id}
            step={groupedStep}
            runs={runs}
            selectedElement={selected?.step === groupedStep ? selected.element : null}
            onOpenLog={(element) => setSelected({ element, step: groupedStep })}
            onClose={() => setGroupedStep(null)}
          />
        )}
        {cell && selected && <LogPanel key={cellKey(selected.element, selected.step)} executionId={detail.id} element={selected.element} step={selected.step} cell={cell} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
