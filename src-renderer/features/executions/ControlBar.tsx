import { useState } from 'react';
import type { ExecutionStatus, ExecutionSummary } from '../../../src-shared/domain/execution';
import type { Result } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { controlsFor } from './control';
import { errorText } from '../../format/error';
import { useExecution } from './execution-store';
import { navigate } from '../../shell/route';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import executionCss from './execution.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';

type Action = 'pause' | 'unpause' | 'cancel' | 'retry' | 'resume';

function send(action: Action, id: number): Promise<Result<{ status: ExecutionStatus } | { id: number }>> {
  switch (action) {
    case 'pause':
      return bridge.invoke('executions/pause', { id });
    case 'unpause':
    case 'resume':
      return bridge.invoke('executions/resume', { id });
    case 'cancel':
      return bridge.invoke('executions/cancel', { id, reason: 'cancelled from the console' });
    case 'retry':
      return bridge.invoke('executions/retry', { id });
  }
}

/**
 * Pause, resume, cancel (confirmed: it kills commands), retry failed and resume from the
 * failure, each offered only when the status allows it. The execution may run in another
 * process, so after an answer the page reloads it rather than trusting events alone.
 */
export function ControlBar({ summary }: { summary: Pick<ExecutionSummary, 'id' | 'status' | 'pauseRequested'> }) {
  const controls = controlsFor(summary);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = summary.id;

  const act = async (action: Action): Promise<void> => {
    setBusy(action);
    setError(null);
    const r = await send(action, id);
    setBusy(null);
    setConfirmCancel(false);
    if (!r.ok) {
      setError(`${action === 'unpause' ? 'resume' : action}: ${errorText(r.error)}`);
      return;
    }
    if (action === 'retry' && 'id' in r.value) {
      navigate({ page: 'execution', id: r.value.id });
      return;
    }
    await useExecution.getState().reload();
  };

  const any = controls.pause || controls.unpause || controls.cancel || controls.retry || controls.resumeFromFailure;
  if (!any && !error) return null;

  return (
    <div className={executionCss.controlBar} role="toolbar" aria-label="Execution control" data-testid="control-bar">
      {controls.pause && (
        <button type="button" className={buttonCss.btn} disabled={busy !== null} onClick={() => void act('pause')} title="No new step starts; running steps finish" data-testid="control-pause">
          {busy === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      )}
      {controls.unpause && (
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy !== null} onClick={() => void act('unpause')} title="Let new steps start again" data-testid="control-resume">
          {busy === 'unpause' ? 'Resuming…' : 'Resume'}
        </button>
      )}
      {controls.retry && (
        <button
          type="button"
          className={buttonCss.btn}
          disabled={busy !== null}
          onClick={() => void act('retry')}
          title="A new execution on the elements that failed or did not run"
          data-testid="control-retry"
        >
          {busy === 'retry' ? 'Starting…' : 'Retry failed'}
        </button>
      )}
      {controls.resumeFromFailure && (
        <button
          type="button"
          className={cx(buttonCss.btn, buttonCss.primary)}
          disabled={busy !== null}
          onClick={() => void act('resume')}
          title="Continue this execution from the failed step, on the failed elements; what succeeded stays"
          data-testid="control-resume-failed"
        >
          {busy === 'resume' ? 'Resuming…' : 'Resume from failure'}
        </button>
      )}
      {controls.cancel &&
        (confirmCancel ? (
          <span className={cx(formCss.row, executionCss.confirm)} role="group" aria-label="Confirm cancel">
            <span className={textCss.warnText}>Cancel this run? Running commands are killed.</span>
            <button type="button" className={cx(buttonCss.btn, buttonCss.danger)} disabled={busy !== null} onClick={() => void act('cancel')} data-testid="cancel-confirm">
              {busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel'}
            </button>
            <button type="button" className={buttonCss.btn} disabled={busy !== null} onClick={() => setConfirmCancel(false)} data-testid="cancel-no">
              No
            </button>
          </span>
        ) : (
          <button type="button" className={cx(buttonCss.btn, buttonCss.danger)} disabled={busy !== null} onClick={() => setConfirmCancel(true)} data-testid="cancel-button">
            Cancel…
          </button>
        ))}
      {error && (
        <span className={textCss.errorText} role="alert" data-testid="control-error">
          {error}
        </span>
      )}
    </div>
  );
}
