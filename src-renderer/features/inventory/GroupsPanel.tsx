import { useState } from 'react';
import type { InventoryDocument, JsonObject } from '../../../src-shared/domain/inventory';
import { GroupEditor } from './GroupEditor';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

const varsSummary = (vars: JsonObject): string =>
  Object.entries(vars)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');

/** The declared groups with their variables and children, and the group editor beside them. */
export function GroupsPanel({ document, onChanged }: { document: InventoryDocument | null; onChanged: () => Promise<void> }) {
  /** The group in the editor: a name, '' for a new one, null for none. */
  const [editing, setEditing] = useState<string | null>(null);
  const groups = document?.groups ?? [];
  const members = (name: string): string[] => (document?.elements ?? []).filter((e) => e.groups.includes(name)).map((e) => e.id);
  const parents = (name: string): string[] => groups.filter((g) => g.children.includes(name)).map((g) => g.name);
  const current = editing ? (groups.find((g) => g.name === editing) ?? null) : null;

  return (
    <div className={layoutCss.split}>
      <div className={cx(layoutCss.splitMain, layoutCss.scroll)}>
        <div className={layoutCss.toolbar}>
          <span className={textCss.muted} data-testid="group-count">
            {groups.length} group{groups.length === 1 ? '' : 's'}
          </span>
          <span className={textCss.spacer} />
          <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} onClick={() => setEditing('')} data-testid="group-new">
            New group
          </button>
        </div>
        <table className={tableCss.table} data-testid="groups-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Variables</th>
              <th>Children</th>
              <th>Part of</th>
              <th className={tableCss.num}>Elements</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr
                key={g.name}
                className={editing === g.name ? tableCss.selected : undefined}
                onClick={() => setEditing(g.name)}
                data-testid="group-row"
                data-group={g.name}
                aria-selected={editing === g.name}
              >
                <td>
                  <button type="button" className={cx(buttonCss.link, textCss.mono)} onClick={() => setEditing(g.name)}>
                    {g.name}
                  </button>
                </td>
                <td className={cx(textCss.mono, textCss.small)}>{varsSummary(g.vars) || <span className={textCss.muted}>—</span>}</td>
                <td className={textCss.mono}>{g.children.join(', ') || <span className={textCss.muted}>—</span>}</td>
                <td className={textCss.mono}>{parents(g.name).join(', ') || <span className={textCss.muted}>—</span>}</td>
                <td className={tableCss.num}>{members(g.name).length}</td>
              </tr>
            ))}
            {groups.length === 0 && (
              <EmptyRow columns={5}>
                No groups declared. A group carries variables for its members; elements join one by naming it.
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      {editing !== null && (
        <aside className={cx(layoutCss.splitSide, layoutCss.scroll)}>
          <GroupEditor
            key={editing || '(new)'}
            group={current}
            groupNames={groups.map((g) => g.name)}
            members={editing ? members(editing) : []}
            onSaved={(name) => void onChanged().then(() => setEditing(name))}
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
