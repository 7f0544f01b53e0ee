import { useEffect } from 'react';
import { navigate, type Route } from './route';

// `s` is Settings, so Schedules takes `c` (calendar, cron). NavBar shows each as "g <letter>".
const GO: Record<string, Route> = {
  i: { page: 'inventory' },
  f: { page: 'flows' },
  t: { page: 'tasks' },
  c: { page: 'schedules' },
  e: { page: 'executions' },
  r: { page: 'runners' },
  s: { page: 'settings' },
};

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('.cm-editor') !== null;
}

/**
 * Keys that work on every page when no field has focus: `g` then `i`/`f`/`t`/`c`/`e`/`r`/`s`
 * goes to Inventory / Flows / Tasks / Schedules / Executions / Runners / Settings; `/` focuses the page's
 * search box.
 */
export function useGlobalKeys(): void {
  useEffect(() => {
    let pendingG = 0;
    const onKey = (ev: KeyboardEvent): void => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typingIn(ev.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      if (ev.key === 'g') {
        pendingG = Date.now();
        return;
      }
      if (pendingG && Date.now() - pendingG < 1500) {
        pendingG = 0;
        const route = GO[ev.key];
        if (route) {
          ev.preventDefault();
          navigate(route);
        }
        return;
      }
      if (ev.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-page-search]');
        if (search) {
          ev.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
