import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import chipCss from '../../ui/chip.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { ShellButton } from '../shell/ShellButton';
import { EmptyRow } from '../../ui/EmptyRow';

/** Effective elements, one row each; a row opens the editor. */
export function InventoryTable({ elements, selected, onSelect }: { elements: ResolvedElement[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <table className={tableCss.table} data-testid="inventory-table">
      <thead>
        <tr>
          <th>Id</th>
          <th>Host</th>
          <th className={tableCss.num}>Port</th>
          <th>User</th>
          <th>Transport</th>
          <th>Groups</th>
          <th>Enabled</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {elements.map((e) => (
          <tr
            key={e.id}
            className={e.id === selected ? cx(tableCss.selected, tableCss.clickable) : tableCss.clickable}
            data-testid="inventory-row"
            data-element={e.id}
            onClick={() => onSelect(e.id)}
          >
            <td>
              <button type="button" className={buttonCss.link} onClick={() => onSelect(e.id)}>
                {e.id}
              </button>
              {e.name !== e.id && <span className={textCss.muted}> {e.name}</span>}
            </td>
            <td className={textCss.mono}>{e.host}</td>
            <td className={cx(tableCss.num, textCss.mono)}>{e.port}</td>
            <td>{e.user ?? <span className={textCss.muted}>—</span>}</td>
            <td>{e.transport}</td>
            <td>
              {e.groups.map((g) => (
                <span key={g} className={chipCss.chip}>
                  {g}
                </span>
              ))}
            </td>
            <td>{e.enabled ? 'yes' : <span className={textCss.warnText}>no</span>}</td>
            <td>
              <ShellButton element={e.id} />
            </td>
          </tr>
        ))}
        {elements.length === 0 && (
          <EmptyRow columns={8}>
            No element matches.
          </EmptyRow>
        )}
      </tbody>
    </table>
  );
}
