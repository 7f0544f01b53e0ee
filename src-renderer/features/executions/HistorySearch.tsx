import { useEffect, useRef, useState } from 'react';
import { executionStatuses, type ExecutionStatus } from '../../../src-shared/domain/execution';
import { filtersProblem, NO_FILTERS, useExecutions, type ExecutionFilters } from './executions-store';
import { useFlows } from '../flows/flows-store';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import historyCss from './history.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

const TEXT_FILTER_DELAY_MS = 350;

/**
 * The history search: flow, status, element, label (`key` or `key=value`) and a queued-at time
 * range. Typed fields wait for a pause in typing; a filter that cannot be read is said so and
 * not sent.
 */
export function HistorySearch() {
  const filters = useExecutions((s) => s.filters);
  const setFilters = useExecutions((s) => s.setFilters);
  const flows = useFlows((s) => s.flows);
  // What is typed, ahead of what is searched.
  const [draft, setDraft] = useState({ element: filters.element, label: filters.label });

  useEffect(() => {
    if (useFlows.getState().loadedAt === null) void useFlows.getState().load();
  }, []);

  // What this box last sent, to tell its own echo from a change made elsewhere (a label chip
  // clicked in a row), which must show in the box without undoing what is being typed.
  const sent = useRef({ element: filters.element, label: filters.label });
  useEffect(() => {
    if (filters.element === sent.current.element && filters.label === sent.current.label) return;
    sent.current = { element: filters.element, label: filters.label };
    setDraft(sent.current);
  }, [filters.element, filters.label]);

  useEffect(() => {
    const current = useExecutions.getState().filters;
    if (current.element === draft.element && current.label === draft.label) return;
    const t = setTimeout(() => {
      sent.current = draft;
      setFilters(draft);
    }, TEXT_FILTER_DELAY_MS);
    return () => clearTimeout(t);
  }, [draft, setFilters]);

  const problem = filtersProblem({ ...filters, ...draft });
  const hasFilters = (Object.keys(NO_FILTERS) as Array<keyof ExecutionFilters>).some((k) => filters[k] !== '') || draft.element !== '' || draft.label !== '';
  const set = (patch: Partial<ExecutionFilters>): void => setFilters(patch);

  return (
    <search className={cx(layoutCss.toolbar, historyCss.historySearch)} data-testid="executions-filters" aria-label="Search the execution history">
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
      <input
        type="search"
        placeholder="element  ( / )"
        value={draft.element}
        onChange={(e) => setDraft((d) => ({ ...d, element: e.target.value }))}
        aria-label="Element"
        data-testid="filter-element"
        data-page-search
      />
      <input
        type="search"
        placeholder="label key or key=value"
        value={draft.label}
        onChange={(e) => setDraft((d) => ({ ...d, label: e.target.value }))}
        aria-label="Label"
        aria-invalid={problem !== null && draft.label !== ''}
        data-testid="filter-label"
      />
      <label className={cx(formCss.fieldInline, textCss.small)}>
        <span>since</span>
        <input type="datetime-local" step={1} value={filters.since} onChange={(e) => set({ since: e.target.value })} aria-label="Queued since" data-testid="filter-since" />
      </label>
      <label className={cx(formCss.fieldInline, textCss.small)}>
        <span>until</span>
        <input type="datetime-local" step={1} value={filters.until} onChange={(e) => set({ until: e.target.value })} aria-label="Queued before" data-testid="filter-until" />
      </label>
      {hasFilters && (
        <button
          type="button"
          className={cx(buttonCss.btn, buttonCss.small)}
          onClick={() => {
            sent.current = { element: '', label: '' };
            setDraft(sent.current);
            setFilters(NO_FILTERS);
          }}
          data-testid="filters-clear"
        >
          Clear filters
        </button>
      )}
      {problem && (
        <span className={cx(textCss.errorText, textCss.small)} role="alert" data-testid="filters-problem">
          {problem}
        </span>
      )}
    </search>
  );
}
