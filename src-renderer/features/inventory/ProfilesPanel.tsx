import { useState } from 'react';
import type { InventoryDocument } from '../../../src-shared/domain/inventory';
import { ProfileEditor } from './ProfileEditor';

/** The profiles (kinds of element with defaults) and the profile editor beside them. */
export function ProfilesPanel({ document, credentials, onChanged }: { document: InventoryDocument | null; credentials: string[]; onChanged: () => Promise<void> }) {
  /** The profile in the editor: an id, '' for a new one, null for none. */
  const [editing, setEditing] = useState<string | null>(null);
  const profiles = document?.profiles ?? [];
  const members = (id: string): string[] => (document?.elements ?? []).filter((e) => e.profile === id).map((e) => e.id);
  const current = editing ? (profiles.find((p) => p.id === editing) ?? null) : null;

  return (
    <div className="split">
      <div className="split-main scroll">
        <div className="toolbar">
          <span className="muted" data-testid="profile-count">
            {profiles.length} profile{profiles.length === 1 ? '' : 's'}
          </span>
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={() => setEditing('')} data-testid="profile-new">
            New profile
          </button>
        </div>
        <table className="table" data-testid="profiles-table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th className="num">Port</th>
              <th>User</th>
              <th>Credential</th>
              <th>Context</th>
              <th className="num">Elements</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id} className={editing === p.id ? 'selected' : undefined} onClick={() => setEditing(p.id)} data-testid="profile-row" data-profile={p.id} aria-selected={editing === p.id}>
                <td>
                  <button type="button" className="link mono" onClick={() => setEditing(p.id)}>
                    {p.id}
                  </button>
                </td>
                <td>{p.name ?? <span className="muted">—</span>}</td>
                <td className="num">{p.port ?? <span className="muted">—</span>}</td>
                <td>{p.user ?? <span className="muted">—</span>}</td>
                <td className="mono">{p.credential ?? <span className="muted">—</span>}</td>
                <td className="mono small">{Object.keys(p.context).length > 0 ? JSON.stringify(p.context) : <span className="muted">—</span>}</td>
                <td className="num">{members(p.id).length}</td>
              </tr>
            ))}
            {profiles.length === 0 && (
              <tr>
                <td colSpan={7} className="muted empty">
                  No profiles. A profile (e.g. postgres) gives its elements a default port, user, credential and context.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {editing !== null && (
        <aside className="split-side scroll">
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
