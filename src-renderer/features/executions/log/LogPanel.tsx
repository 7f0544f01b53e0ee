import { useState } from 'react';
import type { Cell } from '../grid-model';
import { formatDateTime, formatDuration, span } from '../../../format/time';
import { LogView } from './LogView';
import { StatusBadge } from '../../../ui/StatusBadge';
import { cx } from '../../../ui/class-names';
import buttonCss from '../../../ui/button.module.css';
import logCss from './log.module.css';
import tabsCss from '../../../ui/tabs.module.css';
import textCss from '../../../ui/text.module.css';
import statusCss from '../../../ui/status.module.css';
import { ShellButton } from '../../shell/ShellButton';

/** A file name without path separators: `12-db1-F2_B.log`. */
function logFileName(executionId: number, element: string, step: string): string {
  return `${executionId}-${element}-${step}.log`.replace(/[/\\]/g, '_');
}

/**
 * The selected cell: its attempts as tabs (the latest open unless the operator picked one),
 * a failing attempt's error above its log, then the log.
 */
export function LogPanel({ executionId, element, step, cell, onClose }: { executionId: number; element: string; step: string; cell: Cell; onClose: () => void }) {
  const [picked, setPicked] = useState<number | null>(null);
  const run = cell.attempts.find((a) => a.id === picked) ?? cell.latest;
  return (
    <section className={logCss.logPanel} data-testid="log-panel" data-element={element} data-step={step} aria-label={`Log of ${step} on ${element}`}>
      <div className={logCss.logPanelHead} data-testid="log-panel-head">
        <strong className={textCss.mono}>{step}</strong>
        <span className={textCss.muted}>on</span>
        <strong className={textCss.mono}>{element}</strong>
        <StatusBadge status={run.status} testId="log-run-status" />
        {cell.attempts.length > 1 && (
          <div className={tabsCss.tabs} role="tablist" aria-label="Attempts">
            {cell.attempts.map((a) => (
              <button
                type="button"
                role="tab"
                key={a.id}
                aria-selected={a.id === run.id}
                className={cx(tabsCss.tab, statusCss[`text-${a.status}`], a.id === run.id && tabsCss.active)}
                onClick={() => setPicked(a.id === cell.latest.id ? null : a.id)}
                data-testid={`attempt-tab-${a.attempt}`}
              >
                attempt {a.attempt}
              </button>
            ))}
          </div>
        )}
        <span className={cx(textCss.muted, textCss.small)}>
          {run.kind} · started {formatDateTime(run.startedAt)} · {formatDuration(span(run.startedAt, run.finishedAt))}
          {run.exitCode !== null && ` · exit ${run.exitCode}`}
          {run.signal && ` · signal ${run.signal}`}
        </span>
        <span className={textCss.spacer} />
        <ShellButton element={element} />
        <button type="button" className={buttonCss.icon} aria-label="Close log" onClick={onClose}>
          ×
        </button>
      </div>
      {run.error && (
        <div className={logCss.stepError} data-testid="step-error" role="alert">
          {run.error}
        </div>
      )}
      <LogView key={run.id} stepRunId={run.id} fileName={logFileName(executionId, element, step)} />
    </section>
  );
}
