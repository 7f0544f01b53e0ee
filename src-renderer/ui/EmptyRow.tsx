import type { ReactNode } from 'react';
import { cx } from './class-names';
import tableCss from './table.module.css';
import textCss from './text.module.css';

/** The row a table shows when it has nothing to list: a muted line across all `columns`. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className={cx(textCss.muted, tableCss.empty)} data-testid="table-empty">
        {children}
      </td>
    </tr>
  );
}
