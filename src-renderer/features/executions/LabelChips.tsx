import { labelPairs, type Labels } from '../../format/labels';

/** An execution's labels, one `key=value` chip per value; clicking one can search for it. */
export function LabelChips({ labels, onPick, testId = 'label-chips' }: { labels: Labels; onPick?: (filter: string) => void; testId?: string }) {
  const pairs = labelPairs(labels);
  if (pairs.length === 0) return null;
  return (
    <span className="label-chips" data-testid={testId}>
      {pairs.map(({ key, value }) => {
        const text = `${key}=${value}`;
        return onPick ? (
          <button
            type="button"
            key={text}
            className="chip chip-label chip-button"
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
          <span key={text} className="chip chip-label" data-testid="label-chip" data-label={text}>
            {text}
          </span>
        );
      })}
    </span>
  );
}
