import { routeHref, sectionOf, useRoute, type Page } from './route';
import { cx } from '../ui/class-names';
import shellCss from './shell.module.css';
import textCss from '../ui/text.module.css';

/** `key` is the global shortcut (use-global-keys.ts), where the page has one. */
const ITEMS: Array<{ page: Page; label: string; key?: string }> = [
  { page: 'inventory', label: 'Inventory', key: 'g i' },
  { page: 'flows', label: 'Flows', key: 'g f' },
  { page: 'tasks', label: 'Tasks', key: 'g t' },
  { page: 'schedules', label: 'Schedules', key: 'g c' },
  { page: 'executions', label: 'Executions', key: 'g e' },
  { page: 'runners', label: 'Runners', key: 'g r' },
  { page: 'settings', label: 'Settings', key: 'g s' },
];

export function NavBar() {
  const section = useRoute((s) => sectionOf(s.route));
  return (
    <nav className={shellCss.nav} aria-label="Sections" data-testid="nav">
      {ITEMS.map((item) => (
        <a
          key={item.page}
          href={routeHref({ page: item.page })}
          className={section === item.page ? cx(shellCss.navItem, shellCss.active) : shellCss.navItem}
          aria-current={section === item.page ? 'page' : undefined}
          data-testid={`nav-${item.page}`}
          title={item.key ? `${item.label} (${item.key})` : item.label}
        >
          <span>{item.label}</span>
          {item.key && <kbd className={shellCss.navKey}>{item.key}</kbd>}
        </a>
      ))}
      <div className={shellCss.navFooter}>
        <span className={textCss.muted}>
          <kbd>/</kbd> search
        </span>
      </div>
    </nav>
  );
}
