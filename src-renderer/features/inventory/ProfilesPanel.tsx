import { useState } from 'react';
import type { InventoryDocument } from '../../../src-shared/domain/inventory';
import { ProfileEditor } from './ProfileEditor';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** The profiles (kinds of element with defaults) and the profile editor beside them. */
export function ProfilesPanel({ document, credentials, onChanged }: { document: InventoryDocument | null; credentials: string[]; onChanged: () => Promise<void> }) {
  /** The profile in the editor: an id, '' for a new one, null for none. */
  const [editing, setEditing] = useState<string | null>(null);
  const profiles = document?.profiles ?? [];
  const members = (id: string): string[] => (document?.elements ?? []).filter((e) => e.profile === id).map((e) => e.id);
  const current = editing ? (profiles.find((p) => p.id === editing) ?? null) : null;

  return (
    <div className={layoutCss.split}>
      <div className={cx(layoutCss.splitMain, layoutCss.scroll)}>
        <div className={layoutCss.toolbar}>
          <span className={textCss.muted} data-testid="profile-count">
            {profiles.length} profile{profiles.length === 1 ? '' : 's'}
          </span>
          <span className={textCss.spacer} />
          <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} onClick={() => setEditing('')} data-testid="profile-new">
            New profile
          </button>
        </div>
        <table className={tableCss.table} data-testid="profiles-table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th className={tableCss.num}>Port</th>
              <th>User</th>
              <th>Credential</th>
              <th>Context</th>
              <th className={tableCss.num}>Elements</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id} className={editing === p.id ? tableCss.selected : undefined} onClick={() => setEditing(p.id)} data-testid="profile-row" data-profile={p.id} aria-selected={editing === p.id}>
                <td>
                  <button type="button" className={cx(buttonCss.link, textCss.mono)} onClick={() => setEditing(p.id)}>
                    {p.id}
                  </button>
                </td>
                <td>{p.name ?? <span className={textCss.muted}>—</span>}</td>
                <td className={tableCss.num}>{p.port ?? <span className={textCss.muted}>—</span>}</td>
                <td>{p.user ?? <span className={textCss.muted}>—</span>}</td>
                <td className={textCss.mono}>{p.credential ?? <span className={textCss.muted}>—</span>}</td>
                <td className={cx(textCss.mono, textCss.small)}>{Object.keys(p.context).length > 0 ? JSON.stringify(p.context) : <span className={textCss.muted}>—</span>}</td>
                <td className={tableCss.num}>{members(p.id).length}</td>
              </tr>
            ))}
            {profiles.length === 0 && (
              <EmptyRow columns={7}>
                No profiles. A profile (e.g. postgres) gives its elements a default port, user, credential and context.
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      {editing !== null && (
        <aside className={cx(layoutCss.splitSide, layoutCss.scroll)}>
          <ProfileEditor
            key={editing || '(new)'}
            profile={current}
            credentials={credentials}
            members={editing ? members(editing) : []}
            onSaved={(id) => void onChanged().then(() => setEditing(id))}
            onDeleted={() => {
              void onChanged();
              setEditing(null);
            }}
            onClose={() => setEditing(null)}
          />
        </aside>
      )}
    </div>
  );
}
