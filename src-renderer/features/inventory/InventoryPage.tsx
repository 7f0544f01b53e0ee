import { useEffect, useMemo, useState } from 'react';
import { ElementEditor } from './ElementEditor';
import { GroupsPanel } from './GroupsPanel';
import { ImportBox } from './ImportBox';
import { InventoryTable } from './InventoryTable';
import { ProfilesPanel } from './ProfilesPanel';
import { onReconnect } from '../../shell/connection';
import { groupNames, useInventory } from './inventory-store';
import { useSettings } from '../settings/settings-store';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tabsCss from '../../ui/tabs.module.css';
import textCss from '../../ui/text.module.css';

type Tab = 'elements' | 'groups' | 'profiles';

const TABS: Array<{ tab: Tab; label: string }> = [
  { tab: 'elements', label: 'Elements' },
  { tab: 'groups', label: 'Groups' },
  { tab: 'profiles', label: 'Profiles' },
];

/** Elements with search and a group filter, import, and the element editor; groups and profiles on their own tabs. */
export function InventoryPage() {
  const [tab, setTab] = useState<Tab>('elements');
  const { elements, document, loading, load } = useInventory();
  const credentials = useSettings((s) => s.credentials);
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState('');
  /** The element in the editor: an id, '' for a new one, null for none. */
  const [editing, setEditing] = useState<string | null>(null);
  const [showImport, setShowImport] = useState(false);

  useEffect(() => {
    void load();
    void useSettings.getState().loadCredentials();
    return onReconnect(() => void load());
  }, [load]);

  const groups = useMemo(() => groupNames(elements, document), [elements, document]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return elements.filter((e) => {
      if (group && !e.groups.includes(group)) return false;
      if (!q) return true;
      return [e.id, e.name, e.host, e.user ?? '', e.profile ?? '', ...e.groups].some((v) => v.toLowerCase().includes(q));
    });
  }, [elements, group, query]);

  const raw = editing ? (document?.elements.find((e) => e.id === editing) ?? null) : null;
  const resolved = editing ? (elements.find((e) => e.id === editing) ?? null) : null;

  return (
    <div>
      <div className={layoutCss.pageHead}>
        <h1>Inventory</h1>
        <div className={tabsCss.tabs} role="tablist" aria-label="Inventory">
          {TABS.map((t) => (
            <button
              key={t.tab}
              type="button"
              role="tab"
              aria-selected={tab === t.tab}
              className={tab === t.tab ? cx(tabsCss.tab, tabsCss.active) : tabsCss.tab}
              onClick={() => setTab(t.tab)}
              data-testid={`inventory-tab-${t.tab}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        {tab === 'elements' && (
          <span className={textCss.muted} data-testid="inventory-count">
            {shown.length === elements.length ? `${elements.length} element${elements.length === 1 ? '' : 's'}` : `${shown.length} of ${elements.length} element${elements.length === 1 ? '' : 's'}`}
          </span>
        )}
        {loading && <span className={textCss.muted}>loading…</span>}
        <span className={textCss.spacer} />
        {tab === 'elements' && (
          <>
            <button type="button" className={buttonCss.btn} onClick={() => setShowImport((v) => !v)} aria-expanded={showImport} data-testid="import-toggle">
              Import…
            </button>
            <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} onClick={() => setEditing('')} data-testid="element-new">
              New element
            </button>
          </>
        )}
      </div>
      {tab === 'groups' && <GroupsPanel document={document} onChanged={load} />}
      {tab === 'profiles' && <ProfilesPanel document={document} credentials={credentials.map((c) => c.id)} onChanged={load} />}
      {tab === 'elements' && (
        <>
          {showImport && (
            <section className={layoutCss.panel} aria-label="Import">
              <ImportBox onImported={() => void load()} />
            </section>
          )}
          <div className={layoutCss.toolbar}>
            <input
              type="search"
              placeholder="Search id, host, user, group  (/)"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="inventory-search"
              data-page-search
              aria-label="Search elements"
            />
            <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="inventory-group-filter" aria-label="Group">
              <option value="">all groups</option>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div className={layoutCss.split}>
            <div className={cx(layoutCss.splitMain, layoutCss.scroll)}>
              <InventoryTable elements={shown} selected={editing} onSelect={setEditing} />
            </div>
            {editing !== null && (
              <aside className={cx(layoutCss.splitSide, layoutCss.scroll)}>
                <ElementEditor
                  key={editing || '(new)'}
                  element={raw}
                  resolved={resolved}
                  credentials={credentials.map((c) => c.id)}
                  profiles={(document?.profiles ?? []).map((p) => p.id)}
                  elementIds={elements.map((e) => e.id)}
                  onSaved={(id) => {
                    void load().then(() => setEditing(id));
                  }}
                  onDeleted={() => {
                    void load();
                    setEditing(null);
                  }}
                  onClose={() => setEditing(null)}
                />
              </aside>
            )}
          </div>
        </>
      )}
    </div>
  );
}
