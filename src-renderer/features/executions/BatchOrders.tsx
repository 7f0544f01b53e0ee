import type { BatchOrderView } from '../../../src-shared/domain/execution';
import { formatClock } from '../../format/time';
import { cx } from '../../ui/class-names';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import css from './batch-orders.module.css';

/** Facts as one short line: a leader flag reads better than a pretty-printed object. */
function factsText(facts: unknown): string {
  if (typeof facts === 'string') return facts;
  const text = JSON.stringify(facts);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/**
 * For a flow with `gather`: the order each batch was decided in, and the facts it was decided
 * on, so an operator sees why the leader went last (and that it moved).
 */
export function BatchOrders({ orders }: { orders: BatchOrderView[] }) {
  if (orders.length === 0) return null;
  return (
    <details className={cx(layoutCss.panel, css.batchOrders)} data-testid="batch-orders">
      <summary>
        Order decided per batch by <span className={textCss.mono}>gather</span> ({orders.length} decision{orders.length === 1 ? '' : 's'})
      </summary>
      {orders.map((o) => (
        <section key={`${o.path}#${o.batch}`} className={css.decision} data-testid="batch-order" data-batch={o.batch}>
          <h3 className={css.heading}>
            {o.path ? <span className={textCss.mono}>{o.path} </span> : null}batch {o.batch}
            <span className={cx(textCss.muted, textCss.small)}> · decided {formatClock(o.decidedAt)}</span>
          </h3>
          <table className={tableCss.table}>
            <thead>
              <tr>
                <th>#</th>
                <th>element</th>
                <th>facts</th>
              </tr>
            </thead>
            <tbody>
              {o.elements.map((element, i) => (
                <tr key={element} data-element={element}>
                  <td>{i + 1}</td>
                  <td className={textCss.mono}>{element}</td>
                  <td className={cx(textCss.mono, textCss.small)}>{factsText(o.facts[element])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </details>
  );
}
