import { runTimes } from './zones';
import { cx } from '../../ui/class-names';
import schedulesCss from './schedules.module.css';
import textCss from '../../ui/text.module.css';

/** Fire times, each as the schedule's zone shows it and, when different, as this machine's clock does. */
export function NextRuns({ runs, zone, testId, limit }: { runs: number[]; zone: string; testId: string; limit?: number }) {
  const shown = limit === undefined ? runs : runs.slice(0, limit);
  if (shown.length === 0) return <span className={textCss.muted}>none</span>;
  return (
    <ol className={schedulesCss.nextRuns} data-testid={testId}>
      {shown.map((ms) => {
        const t = runTimes(ms, zone);
        return (
          <li key={ms} data-testid={`${testId}-item`} data-at={ms}>
            <span className={textCss.mono}>{t.zone}</span>
            {t.local && <span className={cx(textCss.muted, textCss.mono, textCss.small, schedulesCss.nextRunsLocal)}>local {t.local}</span>}
          </li>
        );
      })}
    </ol>
  );
}
