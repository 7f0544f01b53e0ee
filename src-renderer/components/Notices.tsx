import { routeHref } from '../stores/route';
import { useNotices } from '../stores/notices';
import { StatusBadge } from './StatusBadge';

/** Executions that ended (or wait) while the console was open. */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" data-testid="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className={`notice notice-${n.status}`} data-testid="notice" data-execution={n.executionId} data-status={n.status}>
          <div className="notice-head">
            <a href={routeHref({ page: 'execution', id: n.executionId })} onClick={() => dismiss(n.key)}>
              #{n.executionId} {n.flow}
            </a>
            <StatusBadge status={n.status} />
            <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => dismiss(n.key)}>
              ×
            </button>
          </div>
          <div className="notice-text">
            {n.status === 'paused' ? 'waits for the operator' : n.status === 'succeeded' ? 'finished' : 'ended'}
            {n.error ? `: ${n.error}` : ''}
          </div>
        </div>
      ))}
    </div>
  );
}
