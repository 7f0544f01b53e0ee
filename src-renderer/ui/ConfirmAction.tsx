import { cx } from './class-names';
import buttonCss from './button.module.css';

interface Props {
  /** The action, as its button says it: "Remove", "Delete". */
  verb: string;
  /** True while this row asks for the confirmation. */
  asking: boolean;
  onAsk(): void;
  onKeep(): void;
  onConfirm(): void;
  /** `X` gives the buttons the test ids `X` (the first click) and `X-confirm`. */
  testId: string;
}

/**
 * A destructive action in two clicks: "Remove…" first, then "Remove" or "Keep", so a stray
 * click on a table row never deletes anything.
 */
export function ConfirmAction({ verb, asking, onAsk, onKeep, onConfirm, testId }: Props) {
  if (!asking) {
    return (
      <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={onAsk} data-testid={testId}>
        {verb}…
      </button>
    );
  }
  return (
    <>
      <button type="button" className={cx(buttonCss.btn, buttonCss.small, buttonCss.danger)} onClick={onConfirm} data-testid={`${testId}-confirm`}>
        {verb}
      </button>
      <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={onKeep}>
        Keep
      </button>
    </>
  );
}
