import { useState } from 'react';
import type { Result } from '../../src-shared/ipc/contract';
import { errorText } from '../format/error';

interface Options<V, S> {
  isNew: boolean;
  /** The record the form describes, or null while the form has problems. */
  value: V | null;
  save(value: V): Promise<Result<S>>;
  remove(): Promise<Result<unknown>>;
  onSaved(saved: S): void;
  onDeleted(): void;
}

export interface RecordEditor {
  /**
   * Whether problems are shown: a stored record's at once, a new one's only after the first
   * edit or a save attempt (an empty form is not yet wrong).
   */
  touched: boolean;
  touch(): void;
  /** A save or delete is on its way. */
  busy: boolean;
  /** What main answered to the last save or delete, in words. */
  error: string | null;
  save(): Promise<void>;
  remove(): Promise<void>;
  /** A problem of the form by field, once touched. */
  problem(problems: Record<string, string>, key: string): string | undefined;
}

/**
 * The draft / save / delete state that the element, group and profile editors share: the form
 * itself stays the editor's, this holds whether it was touched, whether a request is running and
 * what went wrong, and sends the checked value.
 */
export function useRecordEditor<V, S>({ isNew, value, save, remove, onSaved, onDeleted }: Options<V, S>): RecordEditor {
  const [touched, setTouched] = useState(!isNew);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return {
    touched,
    touch: () => setTouched(true),
    busy,
    error,
    save: async () => {
      setTouched(true);
      if (value === null) return;
      setBusy(true);
      setError(null);
      const r = await save(value);
      setBusy(false);
      if (!r.ok) setError(errorText(r.error));
      else onSaved(r.value);
    },
    remove: async () => {
      if (isNew) return;
      setBusy(true);
      const r = await remove();
      setBusy(false);
      if (!r.ok) setError(errorText(r.error));
      else onDeleted();
    },
    problem: (problems, key) => (touched ? problems[key] : undefined),
  };
}
