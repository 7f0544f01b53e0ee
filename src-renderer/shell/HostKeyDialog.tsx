import { useEffect, useState } from 'react';
import { bridge } from '../bridge';
import { errorText } from '../format/error';
import { answeredHostKey, answerFailed, answeringHostKey, dismissClosedHostKey, useHostKeyQuestions, type HostKeyQuestion } from './host-keys';
import { Modal } from '../ui/Modal';
import { cx } from '../ui/class-names';
import buttonCss from '../ui/button.module.css';
import factsCss from '../ui/facts.module.css';
import formCss from '../ui/form.module.css';
import shellCss from './shell.module.css';
import textCss from '../ui/text.module.css';

/** Long enough to read one line; the word is about something that needs nothing more from the operator. */
const CLOSED_NOTE_MS = 10_000;

const CLOSED_TEXT = 'no longer waits: answered in another window, or it timed out.';

const who = (q: HostKeyQuestion): string => `${q.element} (${q.host}:${q.port})`;

/**
 * Main met a host key it does not know and asks the operator. The SHA256 fingerprint
 * is shown whole so it can be compared with the one the host's owner published. Every window
 * gets the question; once one answers (or it times out) main closes it everywhere, and a window
 * that was showing it says why it went away.
 */
export function HostKeyDialog() {
  const question = useHostKeyQuestions((s) => s.questions[0]);
  const more = useHostKeyQuestions((s) => s.questions.length - 1);
  const closed = useHostKeyQuestions((s) => s.closedElsewhere);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The error belongs to the question it was about, not to the next one shown.
  const questionId = question?.id;
  useEffect(() => setError(null), [questionId]);

  if (!question) return closed ? <ClosedNote question={closed} /> : null;

  const answer = async (trust: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    answeringHostKey(question.id);
    const r = await bridge.invoke('hostKey/answer', { id: question.id, trust });
    setBusy(false);
    if (r.ok) {
      // Not accepted: main had closed it already (answered in another window, timed out).
      answeredHostKey(question, r.value.accepted);
      return;
    }
    // Not delivered (the connection went, say): main still waits, so the question stays to answer again.
    answerFailed(question.id);
    setError(errorText(r.error));
  };

  return (
    <Modal key={question.id} title="Unknown host key" onClose={() => void answer(false)} testId="hostkey-dialog">
      {closed && (
        <p className={textCss.muted} role="status" data-testid="hostkey-closed-previous">
          {who(closed)} {CLOSED_TEXT}
        </p>
      )}
      <p>
        <strong>{question.element}</strong> ({question.host}:{question.port}) offered a host key this app has never seen.
        Trust it only if the fingerprint matches the host's real one.
      </p>
      <dl className={factsCss.facts}>
        <dt>Key type</dt>
        <dd>{question.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code className={shellCss.fingerprint} data-testid="hostkey-fingerprint">
            {question.fingerprint}
          </code>
        </dd>
      </dl>
      {more > 0 && <p className={textCss.muted}>{more} more question(s) waiting.</p>}
      {error && <p className={textCss.errorText}>{error}</p>}
      <div className={formCss.actions}>
        <button type="button" className={buttonCss.btn} disabled={busy} onClick={() => void answer(false)} data-testid="hostkey-reject">
          Reject
        </button>
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy} onClick={() => void answer(true)} data-testid="hostkey-trust">
          Trust and connect
        </button>
      </div>
    </Modal>
  );
}

/** The question on screen was closed by main without this window's answer: say so, briefly. */
function ClosedNote({ question }: { question: HostKeyQuestion }) {
  useEffect(() => {
    const t = setTimeout(dismissClosedHostKey, CLOSED_NOTE_MS);
    return () => clearTimeout(t);
  }, [question.id]);
  // Top right, below the top bar and clear of the run notices at the bottom (same card look).
  return (
    <div className={shellCss.notices} style={{ top: 44, bottom: 'auto' }} aria-live="polite">
      <div className={shellCss.notice} data-status="cancelled" role="status" data-testid="hostkey-closed" data-question={question.id}>
        <div className={shellCss.noticeHead}>
          <strong className={textCss.spacer}>Host key question closed</strong>
          <button type="button" className={buttonCss.icon} aria-label="Dismiss" onClick={dismissClosedHostKey} data-testid="hostkey-closed-dismiss">
            ×
          </button>
        </div>
        <div className={shellCss.noticeText}>
          {who(question)} {CLOSED_TEXT}
        </div>
      </div>
    </div>
  );
}
