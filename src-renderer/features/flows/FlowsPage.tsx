import { useEffect, useMemo, useState } from 'react';
import { RunDialog } from './RunDialog';
import { formatDateTime } from '../../format/time';
import { onReconnect } from '../../shell/connection';
import { useFlows } from './flows-store';
import { navigate, routeHref } from '../../shell/route';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** Saved flows; open one in the editor, start a new one, or run one. */
export function FlowsPage() {
  const { flows, loading, load } = useFlows();
  const [query, setQuery] = useState('');
  const [running, setRunning] = useState<string | null>(null);

  useEffect(() => {
    void load();
    return onReconnect(() => void load());
  }, [load]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? flows.filter((f) => f.id.toLowerCase().includes(q) || f.name.toLowerCase().includes(q)) : flows;
  }, [flows, query]);

  return (
    <div>
      <div className={layoutCss.pageHead}>
        <h1>Flows</h1>
        <span className={textCss.muted}>{flows.length} flows</span>
        {loading && <span className={textCss.muted}>loading…</span>}
        <span className={textCss.spacer} />
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} onClick={() => navigate({ page: 'flow', id: null })} data-testid="flow-new">
          New flow
        </button>
      </div>
      <div className={layoutCss.toolbar}>
        <input type="search" placeholder="Search flows…  ( / )" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="flows-search" data-page-search aria-label="Search flows" />
      </div>
      <div className={layoutCss.scroll}>
        <table className={tableCss.table} data-testid="flows-table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th className={tableCss.num}>Version</th>
              <th>Mode</th>
              <th className={tableCss.num}>Steps</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.id} data-testid="flow-row" data-flow={f.id}>
                <td>
                  <a href={routeHref({ page: 'flow', id: f.id })} className={textCss.mono}>
                    {f.id}
                  </a>
                </td>
                <td>{f.name}</td>
                <td className={tableCss.num}>v{f.version}</td>
                <td>{f.mode}</td>
                <td className={tableCss.num}>{f.steps}</td>
                <td>{formatDateTime(f.updatedAt)}</td>
                <td className={tableCss.rowActions}>
                  <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setRunning(f.id)} data-testid="flow-run">
                    Run…
                  </button>
                </td>
              </tr>
            ))}
            {shown.length === 0 && !loading && (
              <EmptyRow columns={7}>
                {flows.length === 0 ? 'No flows yet: start one with "New flow", or `flowdeck flow import`.' : 'No flow matches.'}
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      {running && <RunDialog flowId={running} onClose={() => setRunning(null)} />}
    </div>
  );
}
