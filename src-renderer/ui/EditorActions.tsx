import { useState } from 'react';
import { cx } from './class-names';
import buttonCss from './button.module.css';
import formCss from './form.module.css';
import textCss from './text.module.css';

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
    <div className={formCss.actions}>
      {!isNew &&
        (confirming ? (
          <>
            <span className={textCss.muted}>Delete {name}?</span>
            <button type="button" className={cx(buttonCss.btn, buttonCss.danger)} disabled={busy} onClick={() => void remove()} data-testid={`${testId}-delete-confirm`}>
              Delete
            </button>
            <button type="button" className={buttonCss.btn} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className={buttonCss.btn} onClick={() => setConfirming(true)} data-testid={`${testId}-delete`}>
            Delete…
          </button>
        ))}
      <span className={textCss.spacer} />
      <button type="button" className={buttonCss.btn} onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy || saveDisabled} data-testid={`${testId}-save`}>
        {busy ? 'Saving…' : saveLabel}
      </button>
    </div>
  );
}
