import { routeHref } from './route';
import { useNotices } from './notices';
import { StatusBadge } from '../ui/StatusBadge';

/** Runs that ended or wait for an approval, in the headless console (Electron shows desktop notifications). */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" data-testid="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className={`notice notice-${n.kind === 'approval' ? 'approval' : n.status}`} data-testid="notice" data-execution={n.executionId} data-kind={n.kind} data-status={n.status}>
          <div className="notice-head">
            <a href={routeHref({ page: 'execution', id: n.executionId })} onClick={() => dismiss(n.key)} data-testid="notice-link">
              #{n.executionId} {n.flow}
            </a>
            {n.kind === 'approval' ? <span className="badge st-paused">waits for approval</span> : <StatusBadge status={n.status} />}
            <button type="button" className="btn-icon" aria-label={`Dismiss the notice about #${n.executionId}`} onClick={() => dismiss(n.key)} data-testid="notice-dismiss">
              ×
            </button>
          </div>
          {n.message && <div className="notice-text">{n.message}</div>}
        </div>
      ))}
    </div>
  );
}
