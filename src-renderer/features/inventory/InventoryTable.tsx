import type { ResolvedElement } from '../../../src-shared/domain/inventory';

/** Effective elements, one row each; a row opens the editor. */
export function InventoryTable({ elements, selected, onSelect }: { elements: ResolvedElement[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <table className="table" data-testid="inventory-table">
      <thead>
        <tr>
          <th>Id</th>
          <th>Host</th>
          <th className="num">Port</th>
          <th>User</th>
          <th>Transport</th>
          <th>Groups</th>
          <th>Enabled</th>
        </tr>
      </thead>
      <tbody>
        {elements.map((e) => (
          <tr
            key={e.id}
            className={e.id === selected ? 'selected clickable' : 'clickable'}
            data-testid="inventory-row"
            data-element={e.id}
            onClick={() => onSelect(e.id)}
          >
            <td>
              <button type="button" className="link" onClick={() => onSelect(e.id)}>
                {e.id}
              </button>
              {e.name !== e.id && <span className="muted"> {e.name}</span>}
            </td>
            <td className="mono">{e.host}</td>
            <td className="num mono">{e.port}</td>
            <td>{e.user ?? <span className="muted">—</span>}</td>
            <td>{e.transport}</td>
            <td>
              {e.groups.map((g) => (
                <span key={g} className="chip">
                  {g}
                </span>
              ))}
            </td>
            <td>{e.enabled ? 'yes' : <span className="warn-text">no</span>}</td>
          </tr>
        ))}
        {elements.length === 0 && (
          <tr>
            <td colSpan={7} className="muted empty">
              No element matches.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
