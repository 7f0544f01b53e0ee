import { useId, useState } from 'react';
import type { ApprovalView } from '../../../src-shared/domain/execution';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatDateTime } from '../../format/time';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import executionCss from './execution.module.css';
import layoutCss from '../../ui/layout.module.css';
import statusCss from '../../ui/status.module.css';
import textCss from '../../ui/text.module.css';

function Where({ a }: { a: ApprovalView }) {
  return (
    <span className={cx(textCss.muted, textCss.small)}>
      step <span className={textCss.mono}>{a.step}</span>
      {a.element !== null && (
        <>
          {' '}
          on <span className={textCss.mono}>{a.element}</span>
        </>
      )}{' '}
      · asked {formatDateTime(a.requestedAt)}
    </span>
  );
}

/** The answer form; main answers the execution's oldest pending approval, which is this one. */
function Answer({ approval }: { approval: ApprovalView }) {
  const commentId = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const answer = async (decision: 'approve' | 'reject'): Promise<void> => {
    setBusy(decision);
    setError(null);
    const text = comment.trim();
    const r = await bridge.invoke('executions/approve', { id: approval.executionId, decision, ...(text ? { comment: text } : {}) });
    setBusy(null);
    if (!r.ok) setError(errorText(r.error));
    // Someone else answered this one first: ours went to the next pending approval.
    else if (r.value.id !== approval.id) setError(`this approval had been answered elsewhere; yours went to step ${r.value.step}`);
  };
  return (
    <div className={executionCss.approvalAnswer}>
      <label htmlFor={commentId} className={cx(textCss.small, textCss.muted)}>
        Comment (optional)
      </label>
      <input id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} autoComplete="off" data-testid="approval-comment" />
      <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy !== null} onClick={() => void answer('approve')} data-testid="approval-approve">
        {busy === 'approve' ? 'Approving…' : 'Approve'}
      </button>
      <button type="button" className={cx(buttonCss.btn, buttonCss.danger)} disabled={busy !== null} onClick={() => void answer('reject')} data-testid="approval-reject">
        {busy === 'reject' ? 'Rejecting…' : 'Reject'}
      </button>
      {error && (
        <span className={textCss.errorText} role="alert" data-testid="approval-error">
          {error}
        </span>
      )}
    </div>
  );
}

const decidedWord: Record<ApprovalView['status'], string> = { pending: 'waits', approved: 'approved', rejected: 'rejected', cancelled: 'no longer asked' };

/** Approval steps of one execution: the pending ones to answer, the answered ones with who and when. */
export function ApprovalPanel({ approvals }: { approvals: ApprovalView[] }) {
  if (approvals.length === 0) return null;
  const pending = approvals.filter((a) => a.status === 'pending');
  const decided = approvals.filter((a) => a.status !== 'pending');
  return (
    <section className={cx(layoutCss.panel, executionCss.approvals)} aria-label="Approvals" data-testid="approvals" data-pending={pending.length}>
      <h2 className={executionCss.panelTitle}>Approvals {pending.length > 0 && <span className={cx(statusCss.badge, statusCss.paused)}>{pending.length} waiting</span>}</h2>
      {pending.map((a, i) => (
        <div key={a.id} className={executionCss.approval} data-testid="approval" data-approval={a.id} data-status="pending" data-step={a.step} data-element={a.element ?? ''}>
          <div className={executionCss.approvalMessage} data-testid="approval-message">
            {a.message}
          </div>
          <Where a={a} />
          {i === 0 ? <Answer approval={a} /> : <div className={cx(textCss.muted, textCss.small)}>answered after the one above</div>}
        </div>
      ))}
      {decided.map((a) => (
        <div key={a.id} className={executionCss.approval} data-testid="approval" data-approval={a.id} data-status={a.status} data-step={a.step} data-element={a.element ?? ''}>
          <div className={executionCss.approvalMessage}>{a.message}</div>
          <Where a={a} />
          <div data-testid="approval-decision">
            <strong className={a.status === 'approved' ? textCss.okText : textCss.errorText}>{decidedWord[a.status]}</strong>
            {a.decidedBy !== null && (
              <>
                {' '}
                by <strong data-testid="approval-by">{a.decidedBy}</strong>
              </>
            )}
            {a.decidedAt !== null && (
              <>
                {' '}
                at <span data-testid="approval-at">{formatDateTime(a.decidedAt)}</span>
              </>
            )}
            {a.comment && <span className={executionCss.approvalCommentText}> — “{a.comment}”</span>}
          </div>
        </div>
      ))}
    </section>
  );
}
