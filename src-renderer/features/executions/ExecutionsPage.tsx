import { useEffect } from 'react';
import { finishedExecutionStatuses, type ExecutionSummary } from '../../../src-shared/domain/execution';
import { HistorySearch } from './HistorySearch';
import { LabelChips } from './LabelChips';
import { StatusBadge } from '../../ui/StatusBadge';
import { formatDateTime, formatDuration, span } from '../../format/time';
import { onReconnect } from '../../shell/connection';
import { PAGE_SIZES, useExecutions } from './executions-store';
import { navigate, routeHref } from '../../shell/route';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import historyCss from './history.module.css';
import layoutCss from '../../ui/layout.module.css';
import statusCss from '../../ui/status.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** Status, plus what the operator is waited for: a pause, or an approval to answer. */
function StatusCell({ x }: { x: ExecutionSummary }) {
  return (
    <>
      <StatusBadge status={x.status} />
      {x.pendingApprovals > 0 && (
        <span className={cx(statusCss.badge, statusCss.paused, historyCss.waitingBadge)} title="An approval step waits for an answer" data-testid="awaiting-approval" data-count={x.pendingApprovals}>
          awaiting approval{x.pendingApprovals > 1 ? ` ×${x.pendingApprovals}` : ''}
        </span>
      )}
      {x.pauseRequested && x.status !== 'paused' && !finishedExecutionStatuses.includes(x.status) && (
        <span className={cx(statusCss.badge, statusCss.paused, historyCss.waitingBadge)} title="Pausing: running steps finish, no new one starts" data-testid="pausing">
          pausing
        </span>
      )}
    </>
  );
}

function Pager() {
  const { executions, pageSize, before, newer, loading, older, newerPage, newest, setPageSize } = useExecutions();
  // A full page may have more behind it; a short one is the last.
  const mayHaveOlder = executions.length >= pageSize;
  return (
    <nav className={historyCss.pager} aria-label="Pages of the history" data-testid="pager" data-page={newer.length + 1}>
      <button type="button" className={cx(buttonCss.btn, buttonCss.small)} disabled={before === null || loading} onClick={newest} data-testid="page-newest">
        « Newest
      </button>
      <button type="button" className={cx(buttonCss.btn, buttonCss.small)} disabled={newer.length === 0 || loading} onClick={newerPage} data-testid="page-newer">
        ‹ Newer
      </button>
      <span className={cx(textCss.muted, textCss.small)} data-testid="page-number">
        page {newer.length + 1}
      </span>
      <button type="button" className={cx(buttonCss.btn, buttonCss.small)} disabled={!mayHaveOlder || loading} onClick={older} data-testid="page-older">
        Older ›
      </button>
      <label className={cx(formCss.fieldInline, textCss.small)}>
        <span>per page</span>
        <select value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))} aria-label="Executions per page" data-testid="page-size">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

/** Execution history: the search, one page of results (rows change live), paging back in time. */
export function ExecutionsPage() {
  const { executions, filters, loading, load, setFilters, newer } = useExecutions();

  useEffect(() => {
    void load();
    return onReconnect(() => void useExecutions.getState().load());
  }, [load]);

  const hasFilters = Object.values(filters).some((v) => v !== '');
  const ids = executions.map((x) => x.id);

  return (
    <div>
      <div className={layoutCss.pageHead}>
        <h1>Executions</h1>
        <span className={textCss.muted} data-testid="executions-count">
          {executions.length} executions
          {executions.length > 0 && ` (#${Math.max(...ids)} to #${Math.min(...ids)}${newer.length > 0 ? ', older page' : ''})`}
        </span>
        {loading && <span className={textCss.muted}>loading…</span>}
      </div>
      <HistorySearch />
      <div className={layoutCss.scroll}>
        <table className={tableCss.table} data-testid="executions-table">
          <thead>
            <tr>
              <th className={tableCss.num}>#</th>
              <th>Flow</th>
              <th>Status</th>
              <th>Labels</th>
              <th>Trigger</th>
              <th>Started</th>
              <th>Finished</th>
              <th className={tableCss.num}>Duration</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {executions.map((x) => (
              <tr
                key={x.id}
                className={tableCss.clickable}
                data-testid="execution-row"
                data-execution={x.id}
                data-status={x.status}
                data-flow={x.flow}
                onClick={() => navigate({ page: 'execution', id: x.id })}
              >
                <td className={tableCss.num}>
                  <a href={routeHref({ page: 'execution', id: x.id })} onClick={(e) => e.stopPropagation()}>
                    {x.id}
                  </a>
                </td>
                <td>
                  <span className={textCss.mono}>{x.flow}</span> <span className={textCss.muted}>v{x.flowVersion}</span>
                  {x.originId !== null && (
                    <a href={routeHref({ page: 'execution', id: x.originId })} className={textCss.muted} title={`retry of #${x.originId}`} onClick={(e) => e.stopPropagation()} data-testid="row-origin">
                      {' '}
                      ← #{x.originId}
                    </a>
                  )}
                </td>
                <td className={historyCss.statusCell}>
                  <StatusCell x={x} />
                </td>
                <td>
                  <LabelChips labels={x.labels} onPick={(label) => setFilters({ label })} testId="row-labels" />
                </td>
                <td>{x.trigger}</td>
                <td>{formatDateTime(x.startedAt ?? x.queuedAt)}</td>
                <td>{formatDateTime(x.finishedAt)}</td>
                <td className={tableCss.num}>{formatDuration(span(x.startedAt, x.finishedAt))}</td>
                <td className={tableCss.errorCell} title={x.error ?? undefined}>
                  {x.error}
                </td>
              </tr>
            ))}
            {executions.length === 0 && !loading && (
              <EmptyRow columns={9}>
                {newer.length > 0 ? 'Nothing older.' : hasFilters ? 'No execution matches the search.' : 'No executions yet: run a flow from the Flows page.'}
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      <Pager />
    </div>
  );
}
