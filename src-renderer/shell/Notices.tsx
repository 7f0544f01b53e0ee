import { routeHref } from './route';
import { useNotices } from './notices';
import { StatusBadge } from '../ui/StatusBadge';
import { cx } from '../ui/class-names';
import buttonCss from '../ui/button.module.css';
import shellCss from './shell.module.css';
import statusCss from '../ui/status.module.css';

/** Runs that ended or wait for an approval, in the headless console (Electron shows desktop notifications). */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className={shellCss.notices} data-testid="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className={shellCss.notice} data-testid="notice" data-execution={n.executionId} data-kind={n.kind} data-status={n.status}>
          <div className={shellCss.noticeHead}>
            <a href={routeHref({ page: 'execution', id: n.executionId })} onClick={() => dismiss(n.key)} data-testid="notice-link">
              #{n.executionId} {n.flow}
            </a>
            {n.kind === 'approval' ? <span className={cx(statusCss.badge, statusCss.paused)}>waits for approval</span> : <StatusBadge status={n.status} />}
            <button type="button" className={buttonCss.icon} aria-label={`Dismiss the notice about #${n.executionId}`} onClick={() => dismiss(n.key)} data-testid="notice-dismiss">
              ×
            </button>
          </div>
          {n.message && <div className={shellCss.noticeText}>{n.message}</div>}
        </div>
      ))}
    </div>
  );
}
