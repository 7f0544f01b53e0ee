import { useEffect, useRef, type ReactNode } from 'react';
import { cx } from './class-names';
import buttonCss from './button.module.css';
import modalCss from './modal.module.css';

/**
 * A modal on the native <dialog>: the browser traps focus, Esc closes it, the page behind is
 * inert. `onClose` runs for Esc and for the close button.
 */
export function Modal({ title, onClose, children, testId, wide }: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (ev: Event): void => {
      ev.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      previous?.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={wide ? cx(modalCss.modal, modalCss.wide) : modalCss.modal} data-testid={testId} aria-modal="true" aria-label={title}>
      <div className={modalCss.head}>
        <h2>{title}</h2>
        <button type="button" className={buttonCss.icon} aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className={modalCss.body}>{children}</div>
    </dialog>
  );
}
