import { cx } from './class-names';
import statusCss from './status.module.css';
/** A status word on its colour; the same classes colour grid cells and timeline bars. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={cx(statusCss.badge, statusCss[status])} data-status={status} data-testid={testId}>
      {status}
    </span>
  );
}
