import { runTimes } from './zones';

/** Fire times, each as the schedule's zone shows it and, when different, as this machine's clock does. */
export function NextRuns({ runs, zone, testId, limit }: { runs: number[]; zone: string; testId: string; limit?: number }) {
  const shown = limit === undefined ? runs : runs.slice(0, limit);
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <ol className="next-runs" data-testid={testId}>
      {shown.map((ms) => {
        const t = runTimes(ms, zone);
        return (
          <li key={ms} data-testid={`${testId}-item`} data-at={ms}>
            <span className="mono">{t.zone}</span>
            {t.local && <span className="muted mono small next-runs-local">local {t.local}</span>}
          </li>
        );
      })}
    </ol>
  );
}
