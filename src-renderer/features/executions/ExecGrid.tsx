import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { isAwaitingApproval } from './control';
import { cellKey, type Cell, type GridModel } from './grid-model';
import { formatDuration, span } from '../../format/time';
import { cx } from '../../ui/class-names';
import gridCss from './exec-grid.module.css';
import textCss from '../../ui/text.module.css';
import statusCss from '../../ui/status.module.css';

const ROW_HEIGHT = 26;

const SYMBOL: Record<string, string> = {
  pending: '·',
  running: '▶',
  succeeded: '✓',
  failed: '✗',
  'timed-out': '⏱',
  skipped: '–',
  cancelled: '⊘',
  interrupted: '!',
};

function cellTitle(element: string, step: string, cell: Cell | undefined): string {
  if (!cell) return `${step} on ${element}: not run`;
  const r = cell.latest;
  const parts = [`${step} on ${element}: ${isAwaitingApproval(r) ? 'waits for approval' : r.status}`, `attempt ${r.attempt}`];
  if (r.exitCode !== null) parts.push(`exit ${r.exitCode}`);
  if (r.signal) parts.push(`signal ${r.signal}`);
  if (r.startedAt !== null) parts.push(formatDuration(span(r.startedAt, r.finishedAt)));
  if (r.error) parts.push(r.error);
  return parts.join(' · ');
}

interface Props {
  grid: GridModel;
  selected: { element: string; step: string } | null;
  onSelect: (element: string, step: string) => void;
  /** The step whose output by element is shown; its column header is drawn pressed. */
  groupedStep?: string | null;
  /** A column header was activated: show that step's output by element. */
  onGroupStep?: (step: string) => void;
}

/**
 * Rows = elements, columns = step paths; each cell the colour of its last attempt and, after a
 * retry, the number of attempts. Rows are virtualised (thousands of elements stay fast); arrow
 * keys move between cells, Enter opens the log.
 */
export function ExecGrid({ grid, selected, onSelect, groupedStep = null, onGroupStep }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<{ row: number; col: number } | null>(null);
  const virtualizer = useVirtualizer({ count: grid.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 15 });
  // Every row is its own CSS grid, so column widths are fixed from the longest text (monospace).
  const template = useMemo(() => {
    const first = Math.min(32, Math.max(10, ...grid.rows.slice(0, 5000).map((r) => r.length + 2)));
    return [`${first}ch`, ...grid.columns.map((c) => `${Math.min(24, Math.max(5, c.length + 2))}ch`)].join(' ');
  }, [grid]);
  const tabStop = focus ?? (selected ? { row: grid.rows.indexOf(selected.element), col: grid.columns.indexOf(selected.step) } : { row: 0, col: 0 });

  useEffect(() => {
    if (!focus) return;
    virtualizer.scrollToIndex(focus.row, { align: 'auto' });
    const t = requestAnimationFrame(() => {
      scroller.current?.querySelector<HTMLButtonElement>(`[data-cell="${focus.row}:${focus.col}"]`)?.focus();
    });
    return () => cancelAnimationFrame(t);
  }, [focus, virtualizer]);

  const onKeyDown = (ev: KeyboardEvent<HTMLDivElement>): void => {
    const target = ev.target as HTMLElement;
    const at = target.dataset.cell?.split(':').map(Number);
    if (!at || at.length !== 2) return;
    let [row, col] = at as [number, number];
    if (ev.key === 'ArrowDown') row = Math.min(grid.rows.length - 1, row + 1);
    else if (ev.key === 'ArrowUp') row = Math.max(0, row - 1);
    else if (ev.key === 'ArrowRight') col = Math.min(grid.columns.length - 1, col + 1);
    else if (ev.key === 'ArrowLeft') col = Math.max(0, col - 1);
    else if (ev.key === 'Home') col = 0;
    else if (ev.key === 'End') col = grid.columns.length - 1;
    else return;
    ev.preventDefault();
    setFocus({ row, col });
  };

  if (grid.rows.length === 0) return <p className={textCss.muted} data-testid="exec-grid">No element yet.</p>;

  return (
    <div className={gridCss.scroll} ref={scroller} data-testid="exec-grid" onKeyDown={onKeyDown} role="grid" aria-rowcount={grid.rows.length + 1}>
      <div className={cx(gridCss.row, gridCss.head)} style={{ gridTemplateColumns: template }} role="row">
        <div className={gridCss.corner} role="columnheader">
          element
        </div>
        {grid.columns.map((c) => (
          <div key={c} className={c.includes('/') ? cx(gridCss.col, gridCss.child) : gridCss.col} role="columnheader" title={c} data-testid="grid-column">
            {onGroupStep ? (
              <button
                type="button"
                className={cx(gridCss.colButton, groupedStep === c && gridCss.active)}
                title={`${c}: output by element`}
                aria-label={`Output by element of ${c}`}
                aria-pressed={groupedStep === c}
                onClick={() => onGroupStep(c)}
                data-testid="grid-column-group"
                data-step={c}
              >
                {c}
              </button>
            ) : (
              c
            )}
          </div>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const element = grid.rows[v.index] as string;
          return (
            <div
              key={element}
              className={gridCss.row}
              role="row"
              style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, minWidth: '100%', height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              data-testid="grid-row"
              data-element={element}
            >
              <div className={cx(gridCss.element, textCss.mono)} role="rowheader" title={element}>
                {element}
              </div>
              {grid.columns.map((step, col) => {
                const cell = grid.cells.get(cellKey(element, step));
                const status = cell?.latest.status ?? 'none';
                // An approval step "runs" while it waits for an operator: drawn apart so it does not read as busy.
                const awaiting = cell !== undefined && isAwaitingApproval(cell.latest);
                const isSelected = selected?.element === element && selected.step === step;
                return (
                  <button
                    type="button"
                    key={step}
                    role="gridcell"
                    className={cx(gridCss.cell, statusCss[awaiting ? 'paused' : status], awaiting && gridCss.awaiting, isSelected && gridCss.selected)}
                    data-testid={`grid-cell-${element}-${step}`}
                    data-status={status}
                    data-awaiting={awaiting ? 'true' : undefined}
                    data-attempts={cell?.attempts.length ?? 0}
                    data-cell={`${v.index}:${col}`}
                    title={cellTitle(element, step, cell)}
                    aria-label={cellTitle(element, step, cell)}
                    aria-selected={isSelected}
                    aria-disabled={!cell}
                    tabIndex={tabStop.row === v.index && tabStop.col === col ? 0 : -1}
                    onFocus={() => {
                      if (focus?.row !== v.index || focus.col !== col) setFocus({ row: v.index, col });
                    }}
                    onClick={() => {
                      if (cell) onSelect(element, step);
                    }}
                  >
                    <span aria-hidden="true">{cell ? (awaiting ? '?' : SYMBOL[status]) : ''}</span>
                    {cell && cell.attempts.length > 1 && <span className={gridCss.cellAttempts}>×{cell.attempts.length}</span>}
                  </button>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
