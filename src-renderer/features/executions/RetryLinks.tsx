import { useEffect, useState } from 'react';
import { bridge } from '../../bridge';
import { onReconnect } from '../../shell/connection';
import { fetchOrReport } from '../../shell/request';
import { routeHref } from '../../shell/route';
import textCss from '../../ui/text.module.css';

/**
 * The way forward from an execution to the ones started from it ("retried as #12, #15"), the
 * counterpart of the "retry of #N" link those show. Loaded with `executions/list { origin }`;
 * a retry started while the page is open (here or in another window) arrives as
 * `execution/changed` and is added without asking again.
 */
export function RetryLinks({ executionId }: { executionId: number }) {
  const [retries, setRetries] = useState<number[]>([]);

  useEffect(() => {
    let live = true;
    const add = (ids: number[]): void => setRetries((had) => [...new Set([...had, ...ids])].sort((a, b) => a - b));
    const load = async (): Promise<void> => {
      const found = await fetchOrReport('executions/list', { origin: executionId }, `Loading the retries of #${executionId}`);
      if (live && found) add(found.map((x) => x.id));
    };
    void load();
    const offs = [
      bridge.on('execution/changed', (s) => {
        if (s.originId === executionId) add([s.id]);
      }),
      // Retries started while the connection was away sent no event here.
      onReconnect(() => void load()),
    ];
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [executionId]);

  if (retries.length === 0) return null;
  return (
    <>
      <span className={textCss.muted}> · </span>
      <span data-testid="execution-retries">
        retried as{' '}
        {retries.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <a href={routeHref({ page: 'execution', id })} data-testid="retry-link" data-execution={id}>
              #{id}
            </a>
          </span>
        ))}
      </span>
    </>
  );
}
