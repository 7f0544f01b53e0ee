/** A status word on its colour; the same classes colour grid cells and timeline bars. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge st-${status}`} data-status={status} data-testid={testId}>
      {status}
    </span>
  );
}
