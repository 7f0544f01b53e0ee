import { useState } from 'react';

interface Props {
  /** data-testid prefix: `<testId>-delete`, `<testId>-delete-confirm`, `<testId>-save`. */
  testId: string;
  /** What a delete would remove, as the confirmation names it. */
  name: string;
  isNew: boolean;
  busy: boolean;
  saveDisabled: boolean;
  saveLabel: string;
  onDelete(): Promise<void>;
  onCancel(): void;
}

/** The foot of an inventory editor: delete behind a confirmation (never one click), cancel, save. */
export function EditorActions({ testId, name, isNew, busy, saveDisabled, saveLabel, onDelete, onCancel }: Props) {
  const [confirming, setConfirming] = useState(false);
  const remove = async (): Promise<void> => {
    await onDelete();
    setConfirming(false);
  };
  return (
    <div className="actions">
      {!isNew &&
        (confirming ? (
          <>
            <span className="muted">Delete {name}?</span>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void remove()} data-testid={`${testId}-delete-confirm`}>
              Delete
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="btn" onClick={() => setConfirming(true)} data-testid={`${testId}-delete`}>
            Delete…
          </button>
        ))}
      <span className="spacer" />
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={busy || saveDisabled} data-testid={`${testId}-save`}>
        {busy ? 'Saving…' : saveLabel}
      </button>
    </div>
  );
}
