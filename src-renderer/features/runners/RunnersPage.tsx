import { useCallback, useEffect, useState } from 'react';
import type { RunnersView } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatDuration } from '../../format/time';
import { onReconnect } from '../../shell/connection';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import css from './runners.module.css';

/** Runners report every few seconds; the page asks as often while it is open. */
const REFRESH_MS = 5000;

/**
 * Runners per zone, as Redis knows them: name, host, version, steps running, last seen. Elements
 * with a zone run their commands on these; a zone with no runner alive fails its steps at once.
 */
export function RunnersPage() {
  const [view, setView] = useState<RunnersView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await bridge.invoke('runners/list', {});
    if (r.ok) {
      setView(r.value);
      setError(null);
    } else setError(errorText(r.error));
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const off = onReconnect(() => void load());
    return () => {
      clearInterval(timer);
      off();
    };
  }, [load]);

  return (
    <div className={cx(css.page, layoutCss.scroll)} data-testid="runners-page">
      <div className={layoutCss.pageHead}>
        <h1>Runners</h1>
        <span className={textCss.spacer} />
        <button type="button" className={buttonCss.btn} onClick={() => void load()} data-testid="runners-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <p className={textCss.errorText} role="alert">
          {error}
        </p>
      )}
      {view && view.redis === null && (
        <p className={textCss.muted} data-testid="runners-no-redis">
          No Redis is set (<span className={textCss.mono}>FLOWDECK_REDIS_URL</span>): every element runs its commands in this process. Elements with a{' '}
          <span className={textCss.mono}>zone</span> need runners: <span className={textCss.mono}>flowdeck runner --zone NAME</span>.
        </p>
      )}
      {view?.redis && (
        <p className={cx(textCss.small, view.redis.reachable ? textCss.muted : textCss.errorText)} data-testid="runners-redis" data-reachable={view.redis.reachable}>
          Redis <span className={textCss.mono}>{view.redis.url}</span> {view.redis.reachable ? 'reachable' : `unreachable: ${view.redis.error ?? 'no answer'}`}
        </p>
      )}
      {view?.redis && view.zones.length === 0 && view.redis.reachable && <p className={textCss.muted}>No runner has reported yet.</p>}
      {view?.zones.map((z) => (
        <section key={z.zone} className={cx(layoutCss.panel, css.zone)} data-testid="runner-zone" data-zone={z.zone}>
          <h2>
            zone <span className={textCss.mono}>{z.zone}</span>{' '}
            <span className={cx(textCss.small, z.alive > 0 ? textCss.okText : textCss.errorText)}>
              {z.alive} runner{z.alive === 1 ? '' : 's'} alive
            </span>
          </h2>
          <table className={tableCss.table}>
            <thead>
              <tr>
                <th>name</th>
                <th>host</th>
                <th>version</th>
                <th>steps running</th>
                <th>state</th>
                <th>last seen</th>
              </tr>
            </thead>
            <tbody>
              {z.runners.map((r) => (
                <tr key={r.name} data-testid="runner-row" data-runner={r.name} data-alive={r.alive}>
                  <td className={textCss.mono}>{r.name}</td>
                  <td className={textCss.mono}>{r.host}</td>
                  <td>{r.version}</td>
                  <td>
                    {r.running} / {r.concurrency}
                  </td>
                  <td>{r.alive ? r.state : 'lost'}</td>
                  <td className={r.alive ? undefined : textCss.errorText}>{formatDuration(r.seenAgoMs)} ago</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
