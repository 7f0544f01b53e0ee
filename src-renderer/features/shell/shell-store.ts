import { create } from 'zustand';
import { useConnection } from '../../shell/connection';
import { TerminalSession, type TabStatus } from './terminal-session';
import { terminalFont, terminalTheme } from './terminal-theme';

export interface ShellTab extends TabStatus {
  key: string;
  element: string;
}

interface ShellState {
  tabs: ShellTab[];
  active: string | null;
  /** The dock's height in pixels, while open. */
  height: number;
  collapsed: boolean;
  /** Opens a new terminal tab with a shell on the element, and shows it. */
  open(element: string): void;
  /** Closes the tab; its shell ends. */
  close(key: string): void;
  activate(key: string): void;
  setHeight(px: number): void;
  setCollapsed(collapsed: boolean): void;
}

/** The terminals themselves, by tab key (kept out of the state: they are not data to render). */
const terminals = new Map<string, TerminalSession>();
let nextKey = 1;

export function terminalOf(key: string): TerminalSession | undefined {
  return terminals.get(key);
}

export function allTerminals(): TerminalSession[] {
  return [...terminals.values()];
}

const MIN_DOCK_HEIGHT = 120;
const DEFAULT_DOCK_HEIGHT = 320;

/**
 * The terminal tabs of this window. Each tab is one shell session in main, owned by this window:
 * closing the tab (or the window) ends it.
 */
export const useShells = create<ShellState>((set, get) => ({
  tabs: [],
  active: null,
  height: DEFAULT_DOCK_HEIGHT,
  collapsed: false,
  open: (element) => {
    const key = `shell-${nextKey++}`;
    const update = (status: TabStatus): void =>
      set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { key, element, ...status } : t)) }));
    terminals.set(key, new TerminalSession(element, update, terminalTheme(), terminalFont()));
    set((s) => ({ tabs: [...s.tabs, { key, element, state: 'connecting' }], active: key, collapsed: false }));
  },
  close: (key) => {
    terminals.get(key)?.close();
    terminals.delete(key);
    const { tabs, active } = get();
    const index = tabs.findIndex((t) => t.key === key);
    const rest = tabs.filter((t) => t.key !== key);
    const next = active === key ? (rest[Math.min(index, rest.length - 1)]?.key ?? null) : active;
    set({ tabs: rest, active: next });
  },
  activate: (key) => set({ active: key, collapsed: false }),
  setHeight: (px) => set({ height: Math.max(MIN_DOCK_HEIGHT, Math.round(px)) }),
  setCollapsed: (collapsed) => set({ collapsed }),
}));

// Main ends a window's shells when its connection goes: say so in every terminal still open.
useConnection.subscribe((now, before) => {
  if (now.status === 'closed' && before.status === 'open') {
    for (const t of terminals.values()) t.lost('the connection to the console was lost');
  }
});
