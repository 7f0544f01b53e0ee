import { useEffect, useState } from 'react';
import { executionStatuses, type ExecutionStatus } from '../../src-shared/domain/execution';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, formatDuration, span } from '../format/time';
import { onReconnect } from '../stores/connection';
import { LIST_LIMIT, useExecutions, type ExecutionFilters } from '../stores/executions';
import { useFlows } from '../stores/flows';
import { navigate, routeHref } from '../stores/route';

const TEXT_FILTER_DELAY_MS = 350;

/** Execution history with filters by flow, status, element and label; rows change live. */
export function ExecutionsPage() {
  const { executions, filters, loading, load, setFilters } = useExecutions();
  const flows = useFlows((s) => s.flows);
  const [element, setElement] = useState(filters.element);
  const [label, setLabel] = useState(filters.label);

  useEffect(() => {
    void load();
    if (useFlows.getState().loadedAt === null) void useFlows.getState().load();
    return onReconnect(() => void useExecutions.getState().load());
  }, [load]);

  // Text filters wait for a pause in typing.
  useEffect(() => {
    const current = useExecutions.getState().filters;
    if (current.element === element && current.label === label) return;
    const t = setTimeout(() => setFilters({ element, label }), TEXT_FILTER_DELAY_MS);
    return () => clearTimeout(t);
  }, [element, label, setFilters]);

  const hasFilters = Object.values(filters).some((v) => v !== '');
  const set = (patch: Partial<ExecutionFilters>): void => setFilters(patch);

  return (
    <div className="page-executions">
      <div className="page-head">
        <h1>Executions</h1>
        <span className="muted" data-testid="executions-count">
          {executions.length}
          {executions.length >= LIST_LIMIT ? '+ (newest shown)' : ''} executions
        </span>
        {loading && <span className="muted">loading…</span>}
      </div>
      <div className="toolbar" data-testid="executions-filters">
        <select value={filters.flow} onChange={(e) => set({ flow: e.target.value })} aria-label="Flow" data-testid="filter-flow">
          <option value="">all flows</option>
          {flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.id}
            </option>
          ))}
        </select>
        <select value={filters.status} onChange={(e) => set({ status: e.target.value as ExecutionStatus | '' })} aria-label="Status" data-testid="filter-status">
          <option value="">any status</option>
          {executionStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input type="search" placeholder="element  ( / )" value={element} onChange={(e) => setElement(e.target.value)} aria-label="Element" data-testid="filter-element" data-page-search />
        <input type="search" placeholder="label key=value" value={label} onChange={(e) => setLabel(e.target.value)} aria-label="Label" data-testid="filter-label" />
        {hasFilters && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setElement('');
              setLabel('');
              setFilters({ flow: '', status: '', element: '', label: '' });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="scroll">
        <table className="table" data-testid="executions-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Flow</th>
              <th>Status</th>
              <th>Trigger</th>
              <th>Started</th>
              <th>Finished</th>
              <th className="num">Duration</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {executions.map((x) => (
              <tr key={x.id} className="clickable" data-testid="execution-row" data-execution={x.id} data-status={x.status} onClick={() => navigate({ page: 'execution', id: x.id })}>
                <td className="num">
                  <a href={routeHref({ page: 'execution', id: x.id })} onClick={(e) => e.stopPropagation()}>
                    {x.id}
                  </a>
                </td>
                <td>
                  <span className="mono">{x.flow}</span> <span className="muted">v{x.flowVersion}</span>
                  {x.originId !== null && <span className="muted"> ← #{x.originId}</span>}
                </td>
                <td>
                  <StatusBadge status={x.status} />
                </td>
                <td>{x.trigger}</td>
                <td>{formatDateTime(x.startedAt ?? x.queuedAt)}</td>
                <td>{formatDateTime(x.finishedAt)}</td>
                <td className="num">{formatDuration(span(x.startedAt, x.finishedAt))}</td>
                <td className="error-cell" title={x.error ?? undefined}>
                  {x.error}
                </td>
              </tr>
            ))}
            {executions.length === 0 && !loading && (
              <tr>
                <td colSpan={8} className="muted empty">
                  {hasFilters ? 'No execution matches the filters.' : 'No executions yet: run a flow from the Flows page.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
