import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import { useShells } from './shell-store';

/** Opens a terminal tab with a shell on the element (the same user, key, jump hosts and host-key rules as a run). */
export function ShellButton({ element }: { element: string }) {
  return (
    <button
      type="button"
      className={cx(buttonCss.btn, buttonCss.small)}
      title={`Open a shell on ${element}`}
      aria-label={`Open a shell on ${element}`}
      data-testid="shell-open"
      data-element={element}
      onClick={(ev) => {
        // A row that opens an editor on click must not take this click too.
        ev.stopPropagation();
        useShells.getState().open(element);
      }}
    >
      Shell
    </button>
  );
}
