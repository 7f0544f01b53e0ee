import { create } from 'zustand';

/**
 * The colour theme: the operator picks system, light or dark in Settings; "system" follows the
 * operating system's prefers-color-scheme, live. The choice is kept in this browser's storage (the
 * desktop window and a browser on `flowdeck serve` each remember their own), and applied by setting
 * `data-theme` on <html>, which swaps the token values in tokens.css.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const THEME_STORAGE_KEY = 'flowdeck.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

/** The theme a choice means when the system prefers dark (or not). */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(stored) ? stored : 'system';
  } catch {
    // Storage can be refused (a locked-down profile): the system's theme then.
    return 'system';
  }
}

function writeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Not remembered, still applied for this page.
  }
}

const systemPrefersDark = (): boolean => window.matchMedia(DARK_QUERY).matches;

interface ThemeState {
  choice: ThemeChoice;
  /** What is on screen now. */
  theme: Theme;
  choose(choice: ThemeChoice): void;
}

export const useTheme = create<ThemeState>((set) => ({
  choice: 'system',
  theme: 'light',
  choose: (choice) => {
    writeChoice(choice);
    set({ choice, theme: resolveTheme(choice, systemPrefersDark()) });
  },
}));

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/**
 * Applies the remembered choice before the first render and keeps the page in step: with the
 * system's setting when the choice is "system", and with a choice made in another window.
 */
export function startTheme(): () => void {
  const choice = readChoice();
  useTheme.setState({ choice, theme: resolveTheme(choice, systemPrefersDark()) });
  apply(useTheme.getState().theme);
  const offStore = useTheme.subscribe((s) => apply(s.theme));
  const media = window.matchMedia(DARK_QUERY);
  const onSystem = (): void => {
    const { choice: current } = useTheme.getState();
    useTheme.setState({ theme: resolveTheme(current, media.matches) });
  };
  media.addEventListener('change', onSystem);
  const onStorage = (ev: StorageEvent): void => {
    if (ev.key !== THEME_STORAGE_KEY && ev.key !== null) return;
    const next = readChoice();
    useTheme.setState({ choice: next, theme: resolveTheme(next, media.matches) });
  };
  window.addEventListener('storage', onStorage);
  return () => {
    offStore();
    media.removeEventListener('change', onSystem);
    window.removeEventListener('storage', onStorage);
  };
}
