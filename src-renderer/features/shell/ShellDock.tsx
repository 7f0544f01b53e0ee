import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { useTheme } from '../../theme/theme';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import textCss from '../../ui/text.module.css';
import { allTerminals, terminalOf, useShells } from './shell-store';
import { terminalTheme } from './terminal-theme';
import { describeTab } from './tab-text';
import shellCss from './shell.module.css';

/** One tab's terminal, shown in the dock's body; hidden tabs keep their terminal and scrollback. */
function TerminalPane({ tabKey, element, visible }: { tabKey: string; element: string; visible: boolean }) {
  const place = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const terminal = terminalOf(tabKey);
    const el = place.current;
    if (!terminal || !el) return;
    terminal.attach(el);
    return () => terminal.detach();
  }, [tabKey]);

  useEffect(() => {
    const terminal = terminalOf(tabKey);
    const el = place.current;
    if (!visible || !terminal || !el) return;
    terminal.fit();
    terminal.focus();
    // The window, the dock's height or the page beside it changed: the terminal follows.
    const observer = new ResizeObserver(() => terminal.fit());
    observer.observe(el);
    return () => observer.disconnect();
  }, [tabKey, visible]);

  return <div ref={place} className={shellCss.pane} hidden={!visible} data-testid="shell-terminal" data-element={element} />;
}

/**
 * The terminal tabs, docked under the page so a shell stays open while the operator reads a log
 * or the inventory. Shown once a shell is opened; closing a tab ends its shell.
 */
export function ShellDock() {
  const tabs = useShells((s) => s.tabs);
  const active = useShells((s) => s.active);
  const height = useShells((s) => s.height);
  const collapsed = useShells((s) => s.collapsed);
  const theme = useTheme((s) => s.theme);
  const dock = useRef<HTMLElement>(null);

  useEffect(() => {
    const colours = terminalTheme();
    for (const t of allTerminals()) t.setTheme(colours);
  }, [theme]);

  if (tabs.length === 0) return null;
  const { close, activate, setHeight, setCollapsed } = useShells.getState();

  const startResize = (ev: ReactPointerEvent<HTMLDivElement>): void => {
    const bottom = dock.current?.getBoundingClientRect().bottom ?? window.innerHeight;
    const target = ev.currentTarget;
    target.setPointerCapture(ev.pointerId);
    const move = (e: PointerEvent): void => setHeight(bottom - e.clientY);
    const up = (): void => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  return (
    <section ref={dock} className={shellCss.dock} style={collapsed ? undefined : { height }} data-testid="shell-dock" aria-label="Shells">
      {!collapsed && (
        <div
          className={shellCss.resizer}
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the shells"
          tabIndex={0}
          onPointerDown={startResize}
          onKeyDown={(ev) => {
            if (ev.key === 'ArrowUp') setHeight(height + 20);
            else if (ev.key === 'ArrowDown') setHeight(height - 20);
          }}
        />
      )}
      <div className={shellCss.head} role="tablist" aria-label="Shell sessions">
        <span className={shellCss.title}>Shells</span>
        {tabs.map((t) => (
          <div key={t.key} className={cx(shellCss.tab, t.key === active && shellCss.active)} data-testid="shell-tab" data-element={t.element} data-state={t.state}>
            <button type="button" role="tab" aria-selected={t.key === active} className={shellCss.tabLabel} title={describeTab(t)} onClick={() => activate(t.key)}>
              <span className={shellCss.dot} data-state={t.state} aria-hidden="true" />
              {t.element}
            </button>
            <button type="button" className={buttonCss.icon} aria-label={`Close the shell on ${t.element}`} data-testid="shell-tab-close" onClick={() => close(t.key)}>
              ×
            </button>
          </div>
        ))}
        <span className={textCss.spacer} />
        <button type="button" className={buttonCss.icon} aria-label={collapsed ? 'Show the shells' : 'Hide the shells'} aria-expanded={!collapsed} data-testid="shell-dock-toggle" onClick={() => setCollapsed(!collapsed)}>
          {collapsed ? '▴' : '▾'}
        </button>
      </div>
      {!collapsed && (
        <div className={shellCss.body}>
          {tabs.map((t) => (
            <TerminalPane key={t.key} tabKey={t.key} element={t.element} visible={t.key === active} />
          ))}
        </div>
      )}
    </section>
  );
}
