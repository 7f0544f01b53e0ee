import { create } from 'zustand';

/**
 * Where the operator is, kept in the address hash (`#/executions/12`) so it survives a reload,
 * works from `file://` in Electron and from the headless console alike, and Back/Forward work.
 */
export type Route =
  | { page: 'inventory' }
  | { page: 'flows' }
  | { page: 'flow'; id: string | null }
  | { page: 'executions' }
  | { page: 'execution'; id: number }
  /** `id`: the task shown in the details pane (`#/tasks/restart-service`). */
  | { page: 'tasks'; id?: string }
  | { page: 'schedules' }
  | { page: 'runners' }
  | { page: 'settings' };

export type Page = 'inventory' | 'flows' | 'tasks' | 'schedules' | 'executions' | 'runners' | 'settings';

function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, arg] = parts;
  switch (head) {
    case 'flows':
      if (arg === 'new') return { page: 'flow', id: null };
      return arg !== undefined ? { page: 'flow', id: arg } : { page: 'flows' };
    case 'executions': {
      const id = Number(arg);
      return arg !== undefined && Number.isInteger(id) && id > 0 ? { page: 'execution', id } : { page: 'executions' };
    }
    case 'settings':
      return { page: 'settings' };
    case 'tasks':
      return arg !== undefined ? { page: 'tasks', id: arg } : { page: 'tasks' };
    case 'schedules':
      return { page: 'schedules' };
    case 'runners':
      return { page: 'runners' };
    case 'inventory':
      return { page: 'inventory' };
    default:
      return { page: 'executions' };
  }
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'flow':
      return `#/flows/${route.id === null ? 'new' : encodeURIComponent(route.id)}`;
    case 'execution':
      return `#/executions/${route.id}`;
    case 'tasks':
      return route.id !== undefined ? `#/tasks/${encodeURIComponent(route.id)}` : '#/tasks';
    default:
      return `#/${route.page}`;
  }
}

/** The nav section a route belongs to. */
export function sectionOf(route: Route): Page {
  if (route.page === 'flow') return 'flows';
  if (route.page === 'execution') return 'executions';
  return route.page;
}

export const useRoute = create<{ route: Route }>(() => ({ route: parseHash(location.hash) }));

window.addEventListener('hashchange', () => useRoute.setState({ route: parseHash(location.hash) }));

/**
 * Goes to `route`. With `replace`, the current history entry changes instead of a new one being
 * added: for a selection within a page (Back should leave the page, not step through picks).
 */
export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (location.hash === href) return;
  if (!opts.replace) {
    location.hash = href;
    return;
  }
  // replaceState fires no hashchange: tell the store here.
  history.replaceState(history.state, '', href);
  useRoute.setState({ route: parseHash(href) });
}
