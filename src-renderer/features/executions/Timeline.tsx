import { useEffect, useMemo, useState } from 'react';
import type { StepRunRecord } from '../../../src-shared/domain/execution';
import { buildTimeline, tickStep } from './timeline-model';
import { formatClock, formatDuration } from '../../format/time';
import { cx } from '../../ui/class-names';
import textCss from '../../ui/text.module.css';
import timelineCss from './timeline.module.css';
import statusCss from '../../ui/status.module.css';

function label(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 3_600_000)}h`;
}

/**
 * Every step run as a bar on its element's row, x = time: runs that overlap in x ran at the
 * same time, so serial vs parallel, batches and waits show at a glance. A child flow's span is
 * drawn as a thin bracket under its steps.
 */
export function Timeline({ elements, runs, live, onSelect }: { elements: string[]; runs: Iterable<StepRunRecord>; live: boolean; onSelect: (element: string, step: string) => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  const model = useMemo(() => buildTimeline(elements, runs, now), [elements, runs, now]);
  if (!model) return <p className={textCss.muted} data-testid="timeline">Nothing has started yet.</p>;
  const total = model.end - model.start;
  const step = tickStep(total);
  const ticks: number[] = [];
  for (let t = 0; t <= total; t += step) ticks.push(t);

  return (
    <div className={timelineCss.timeline} data-testid="timeline" data-start={model.start} data-end={model.end}>
      <div className={cx(timelineCss.row, timelineCss.axis)}>
        <div className={cx(timelineCss.label, textCss.muted)}>{formatClock(model.start)}</div>
        <div className={timelineCss.track}>
          {ticks.map((t) => (
            <span key={t} className={timelineCss.tick} style={{ left: `${(t / total) * 100}%` }}>
              {label(t)}
            </span>
          ))}
        </div>
      </div>
      {model.rows.map((row) => (
        <div key={row.element} className={timelineCss.row} data-testid="timeline-row" data-element={row.element}>
          <div className={cx(timelineCss.label, textCss.mono)} title={row.element}>
            {row.element}
          </div>
          <div className={timelineCss.track}>
            {ticks.map((t) => (
              <span key={t} className={timelineCss.grid} style={{ left: `${(t / total) * 100}%` }} />
            ))}
            {row.bars.map(({ run, left, width }) => {
              const title = `${run.step} on ${run.element}: ${run.status}, attempt ${run.attempt}, ${formatClock(run.startedAt as number, true)} + ${formatDuration((run.finishedAt ?? now) - (run.startedAt as number))}`;
              return (
                <button
                  type="button"
                  key={run.id}
                  className={cx(timelineCss.bar, statusCss[run.status], run.kind === 'flow' && timelineCss.flow)}
                  style={{ left: `${left * 100}%`, width: `max(3px, ${width * 100}%)` }}
                  title={title}
                  aria-label={title}
                  data-testid="timeline-bar"
                  data-status={run.status}
                  data-element={run.element}
                  data-step={run.step}
                  data-start={run.startedAt ?? undefined}
                  data-end={run.finishedAt ?? undefined}
                  onClick={() => onSelect(run.element, run.step)}
                >
                  {run.kind !== 'flow' && <span className={timelineCss.barText}>{run.step}</span>}
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
