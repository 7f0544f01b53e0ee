import { useState } from 'react';
import { bridge } from '../bridge';
import { errorText } from '../format/error';
import { answeredHostKey, useHostKeyQuestions } from '../stores/host-keys';
import { Modal } from './Modal';

/**
 * Main met a host key it does not know and asks the operator (SPEC 8). The SHA256 fingerprint
 * is shown whole so it can be compared with the one the host's owner published.
 */
export function HostKeyDialog() {
  const question = useHostKeyQuestions((s) => s.questions[0]);
  const more = useHostKeyQuestions((s) => s.questions.length - 1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!question) return null;

  const answer = async (trust: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await bridge.invoke('hostKey/answer', { id: question.id, trust });
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error));
      // The question may have expired (the run went on without it): let it go.
      if (r.error.code === 'not-found') answeredHostKey(question.id);
      return;
    }
    answeredHostKey(question.id);
  };

  return (
    <Modal key={question.id} title="Unknown host key" onClose={() => void answer(false)} testId="hostkey-dialog">
      <p>
        <strong>{question.element}</strong> ({question.host}:{question.port}) offered a host key this app has never seen.
        Trust it only if the fingerprint matches the host's real one.
      </p>
      <dl className="facts">
        <dt>Key type</dt>
        <dd>{question.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code className="fingerprint" data-testid="hostkey-fingerprint">
            {question.fingerprint}
          </code>
        </dd>
      </dl>
      {more > 0 && <p className="muted">{more} more question(s) waiting.</p>}
      {error && <p className="error-text">{error}</p>}
      <div className="actions">
        <button type="button" className="btn" disabled={busy} onClick={() => void answer(false)} data-testid="hostkey-reject">
          Reject
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void answer(true)} data-testid="hostkey-trust">
          Trust and connect
        </button>
      </div>
    </Modal>
  );
}
