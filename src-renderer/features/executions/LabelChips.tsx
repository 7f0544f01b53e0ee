import { labelPairs, type Labels } from '../../format/labels';
import { cx } from '../../ui/class-names';
import chipCss from '../../ui/chip.module.css';

/** An execution's labels, one `key=value` chip per value; clicking one can search for it. */
export function LabelChips({ labels, onPick, testId = 'label-chips' }: { labels: Labels; onPick?: (filter: string) => void; testId?: string }) {
  const pairs = labelPairs(labels);
  if (pairs.length === 0) return null;
  return (
    <span className={chipCss.list} data-testid={testId}>
      {pairs.map(({ key, value }) => {
        const text = `${key}=${value}`;
        return onPick ? (
          <button
            type="button"
            key={text}
            className={cx(chipCss.chip, chipCss.label, chipCss.button)}
            title={`Search for ${text}`}
            onClick={(e) => {
              e.stopPropagation();
              onPick(text);
            }}
            data-testid="label-chip"
            data-label={text}
          >
            {text}
          </button>
        ) : (
          <span key={text} className={cx(chipCss.chip, chipCss.label)} data-testid="label-chip" data-label={text}>
            {text}
          </span>
        );
      })}
    </span>
  );
}
