import { create } from 'zustand';

/**
 * The error banner: failures nobody else shows inline (a list that did not load, a request the
 * server could not read). Same text twice counts instead of stacking.
 */
interface BannerError {
  id: number;
  text: string;
  count: number;
  at: number;
}

interface ErrorsState {
  errors: BannerError[];
  report(text: string): void;
  dismiss(id: number): void;
  clear(): void;
}

let nextId = 1;

export const useErrors = create<ErrorsState>((set) => ({
  errors: [],
  report: (text) =>
    set((s) => {
      const same = s.errors.find((e) => e.text === text);
      if (same) return { errors: s.errors.map((e) => (e === same ? { ...e, count: e.count + 1, at: Date.now() } : e)) };
      return { errors: [...s.errors, { id: nextId++, text, count: 1, at: Date.now() }].slice(-5) };
    }),
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  clear: () => set({ errors: [] }),
}));

export function reportError(text: string): void {
  useErrors.getState().report(text);
}
