import { routeHref, sectionOf, useRoute, type Page } from './route';

/** `key` is the global shortcut (use-global-keys.ts), where the page has one. */
const ITEMS: Array<{ page: Page; label: string; key?: string }> = [
  { page: 'inventory', label: 'Inventory', key: 'g i' },
  { page: 'flows', label: 'Flows', key: 'g f' },
  { page: 'tasks', label: 'Tasks', key: 'g t' },
  { page: 'schedules', label: 'Schedules', key: 'g c' },
  { page: 'executions', label: 'Executions', key: 'g e' },
  { page: 'settings', label: 'Settings', key: 'g s' },
];

export function NavBar() {
  const section = useRoute((s) => sectionOf(s.route));
  return (
    <nav className="nav" aria-label="Sections" data-testid="nav">
      {ITEMS.map((item) => (
        <a
          key={item.page}
          href={routeHref({ page: item.page })}
          className={section === item.page ? 'nav-item active' : 'nav-item'}
          aria-current={section === item.page ? 'page' : undefined}
          data-testid={`nav-${item.page}`}
          title={item.key ? `${item.label} (${item.key})` : item.label}
        >
          <span>{item.label}</span>
          {item.key && <kbd className="nav-key">{item.key}</kbd>}
        </a>
      ))}
      <div className="nav-footer">
        <span className="muted">
          <kbd>/</kbd> search
        </span>
      </div>
    </nav>
  );
}
